// Fuzzy matching for the quick switcher: the query's characters must appear in order (a
// subsequence, case- and accent-insensitive); the score prefers matches at the start, at word
// starts and in runs, and shorter names. Pure and client-safe.

function fold(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

const WORD_BREAK = /[\s\-_.#@/]/;

/** Whether q[qi..] appears in order in t[ti..]. */
function isSubsequence(q: string, qi: number, t: string, ti: number): boolean {
  for (let i = qi, j = ti; i < q.length; i++, j++) {
    j = t.indexOf(q[i] as string, j);
    if (j === -1) return false;
  }
  return true;
}

/**
 * A score for `text` against `query` (higher is better), or null when the query's characters do not
 * all appear in order. An empty query matches everything with 0.
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = fold(query.trim());
  if (q === "") return 0;
  const t = fold(text);
  // Best-effort greedy pass that prefers word starts: for each query character, take the next
  // occurrence, but jump to a later word-start occurrence when the current run cannot continue.
  let score = 0;
  let ti = 0;
  let prev = -2;
  for (let qi = 0; qi < q.length; qi++) {
    const c = q[qi] as string;
    let at = t.indexOf(c, ti);
    if (at === -1) return null;
    if (at !== prev + 1) {
      // Not continuing a run: a later occurrence at a word start is worth more than a random one.
      // Only when the rest of the query still fits after it: "dsgn" must not jump the "s" of
      // "design" to a later "-s…" and then miss the "g" and "n".
      for (let j = at; j !== -1; j = t.indexOf(c, j + 1)) {
        if ((j === 0 || WORD_BREAK.test(t[j - 1] as string)) && isSubsequence(q, qi + 1, t, j + 1)) {
          at = j;
          break;
        }
      }
    }
    if (at === 0) score += 8;
    else if (WORD_BREAK.test(t[at - 1] as string)) score += 6;
    if (at === prev + 1) score += 5;
    else if (prev >= 0) score -= Math.min(3, at - prev - 1);
    score += 1;
    prev = at;
    ti = at + 1;
  }
  if (t === q) score += 20;
  else if (t.startsWith(q)) score += 10;
  return score - t.length * 0.05;
}

/** The items that match, best first (stable for equal scores: the input order breaks ties). */
export function fuzzyFilter<T>(query: string, items: readonly T[], text: (item: T) => string): T[] {
  const scored: { item: T; score: number; i: number }[] = [];
  items.forEach((item, i) => {
    const score = fuzzyScore(query, text(item));
    if (score !== null) scored.push({ item, score, i });
  });
  return scored.sort((a, b) => b.score - a.score || a.i - b.i).map((s) => s.item);
}

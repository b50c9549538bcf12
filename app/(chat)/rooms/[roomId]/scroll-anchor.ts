// Scroll anchoring for the message log: keep the first visible message exactly where it is on screen
// while older pages are prepended (or anything else above it changes). Its bottom edge is the anchor:
// the oldest loaded message loses its author line when the page before it arrives (grouped with the
// same author's previous message), and anchoring its top would move its text up by that line.
// Browsers' own anchoring (CSS overflow-anchor) is off on the log: it picks its own anchor node, does
// nothing at scrollTop 0 (where a reader who wheels past the top is), and would fight this one.

export interface ScrollAnchor {
  /** The message's seq (its element is #m-<seq>). */
  readonly seq: number;
  /** Its bottom edge, in px from the top of the log's viewport. */
  readonly offset: number;
}

/** The first message whose bottom is below the top of the log's viewport, or null. */
export function captureAnchor(list: HTMLElement): ScrollAnchor | null {
  const items = list.querySelectorAll<HTMLElement>("[data-seq]");
  if (items.length === 0) return null;
  const top = list.getBoundingClientRect().top;
  // Messages are in document order, so their bottoms grow: binary search the first one below `top`.
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((items[mid] as HTMLElement).getBoundingClientRect().bottom > top) hi = mid;
    else lo = mid + 1;
  }
  const el = items[lo] as HTMLElement;
  const seq = Number(el.dataset.seq);
  if (!Number.isFinite(seq)) return null;
  return { seq, offset: el.getBoundingClientRect().bottom - top };
}

/**
 * Scroll so that the anchor's message is back at its offset. Returns false when it is no longer
 * rendered (the window was replaced): then there is nothing to keep in place.
 */
export function restoreAnchor(list: HTMLElement, anchor: ScrollAnchor): boolean {
  const el = list.querySelector<HTMLElement>(`#m-${anchor.seq}`);
  if (!el) return false;
  const delta = el.getBoundingClientRect().bottom - list.getBoundingClientRect().top - anchor.offset;
  if (Math.abs(delta) >= 0.5) list.scrollTop += delta;
  return true;
}

/** Distance in px from the bottom of the log's viewport to the end of its content. */
export function distanceFromBottom(list: HTMLElement): number {
  return list.scrollHeight - list.scrollTop - list.clientHeight;
}

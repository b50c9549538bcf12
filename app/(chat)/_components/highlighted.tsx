// Text with search matches marked: the server wraps matches in \u0002…\u0003; we split on them and
// render <mark> elements, so no HTML ever comes from the message.
export function Highlighted({ text }: { text: string }) {
  const parts: { mark: boolean; text: string }[] = [];
  let mark = false;
  let buf = "";
  for (const ch of text) {
    if (ch === "\u0002" || ch === "\u0003") {
      if (buf) parts.push({ mark, text: buf });
      buf = "";
      mark = ch === "\u0002";
    } else buf += ch;
  }
  if (buf) parts.push({ mark, text: buf });
  return (
    <span className="whitespace-pre-wrap break-words">
      {parts.map((p, i) =>
        p.mark ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: static split of one string
          <mark key={i} className="rounded bg-amber-200 px-0.5 text-inherit dark:bg-amber-500/40">
            {p.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: static split of one string
          <span key={i}>{p.text}</span>
        ),
      )}
    </span>
  );
}

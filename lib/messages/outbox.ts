// The outbox of unconfirmed sends, persisted per user and room in localStorage so it survives a
// reload. Every tab of that user and room shares the one key: a tab writes what is stored merged with
// its own items (by clientId), dropping only what it knows was stored on the server or discarded,
// so two offline tabs never overwrite each other's queued messages.

export interface OutboxItem {
  clientId: string;
  body: string;
  replyToId?: string;
  createdAt: string;
  status: "pending" | "failed";
  error?: string;
}

/** The stored outbox, or [] when missing or unreadable. */
export function parseOutbox(raw: string | null): OutboxItem[] {
  try {
    const items: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(items)
      ? items.filter(
          (i): i is OutboxItem =>
            typeof i?.clientId === "string" && typeof i.body === "string" && typeof i.createdAt === "string",
        )
      : [];
  } catch {
    return [];
  }
}

/**
 * What a tab writes back: its own items (its copy wins: it knows their status), plus every stored item
 * it does not have and has not seen acked or discarded (`gone`), in creation order.
 */
export function mergeOutbox(
  stored: readonly OutboxItem[],
  mine: readonly OutboxItem[],
  gone: ReadonlySet<string>,
): OutboxItem[] {
  const own = new Set(mine.map((i) => i.clientId));
  const seen = new Set<string>();
  const others = stored.filter((i) => {
    if (own.has(i.clientId) || gone.has(i.clientId) || seen.has(i.clientId)) return false;
    seen.add(i.clientId);
    return true;
  });
  return [...others, ...mine].sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
  );
}

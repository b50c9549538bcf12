// The socket handler table is typed by the protocol (lib/realtime/events.ts) and every handler is a
// named function. The type half of this file is checked by `tsc --noEmit` (npm test's typecheck
// stage): each @ts-expect-error below must be an error, or the directive itself fails the build.
import { describe, expect, it } from "vitest";
import type { HandlerContext, HandlerTable } from "@/lib/realtime/server/dispatcher";
import { roomHandlers } from "@/lib/realtime/server/room-handlers";
import { HANDLERS, KNOWN_EVENTS } from "@/lib/realtime/server/server";

describe("the handler table", () => {
  it("names every handler, so a stack trace and a reader can find it", () => {
    const anonymous: string[] = [];
    for (const [event, h] of Object.entries(HANDLERS) as [string, HandlerTable[keyof HandlerTable]][]) {
      const fns = { run: h.run, ...("after" in h && h.after ? { after: h.after } : {}) };
      for (const [part, fn] of Object.entries(fns))
        if (!fn.name || fn.name === part) anonymous.push(`${event} ${part}`);
    }
    expect(anonymous).toEqual([]);
  });

  it("covers the protocol's events and nothing else", () => {
    expect([...KNOWN_EVENTS].sort()).toEqual(Object.keys(HANDLERS).sort());
  });
});

// Compile-time checks: tsc reads them; running them would only build objects.
function _typeChecks(ctx: HandlerContext): unknown[] {
  return [
    // A misspelled event name does not compile.
    // @ts-expect-error "room:jion" is not an event
    { "room:jion": { run: async () => null } } satisfies Partial<HandlerTable>,
    // An ack whose data drifted from the protocol does not compile (room:leave acks null).
    // @ts-expect-error room:leave answers null
    { "room:leave": { run: async () => ({ left: true }) } } satisfies Partial<HandlerTable>,
    {
      "room:read": {
        run: async () => ({ roomId: "r", lastReadSeq: 1 }),
        // The after-ack step gets the ack's data, typed.
        // @ts-expect-error room:read's data has no `seq`
        after: (_: HandlerContext, data: { seq: number }) => data.seq,
      },
    } satisfies Partial<HandlerTable>,
    // The whole table must handle every event.
    // @ts-expect-error only the room events
    { ...roomHandlers } satisfies HandlerTable,
    ctx,
  ];
}

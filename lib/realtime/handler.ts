// One table of socket event handlers for the whole server, and the dispatcher that runs them: it
// validates the ack, runs the service call, answers {ok,data}|{ok,error}, then runs the after-ack
// step (e.g. the broadcast, which must follow the sender's ack). A handler never throws into
// Socket.IO and never leaves an ack unanswered; an unknown event that asks for an ack gets an error.
// Each socket carries one listener (onAny) instead of a closure per event: less memory per idle
// connection. It also counts handlers in flight, so a shutdown can let started writes finish.
// Every event spends its user's budget (its row in lib/ratelimit/limits.ts) before its handler
// runs: a limited event costs one counter, never a database query or a broadcast.
import { toAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { metrics } from "@/lib/ops/metrics";
import { hasLimit, limits } from "@/lib/ratelimit/limits";
import type { Ack } from "./events";
import type { HandlerContext } from "./server";

const log = logger.child({ module: "realtime" });

export interface EventHandler<T = unknown> {
  run(ctx: HandlerContext, payload: unknown): Promise<T>;
  /** Runs after the ack was sent. */
  after?(ctx: HandlerContext, data: T): void;
}

/** Keeps a handler's result type between `run` and `after`. */
export function handler<T>(h: EventHandler<T>): EventHandler<unknown> {
  return h as EventHandler<unknown>;
}

export type HandlerTable = Readonly<Record<string, EventHandler<unknown>>>;

let inFlight = 0;
const drainWaiters = new Set<() => void>();

/** Resolves when no handler is running (or after `timeoutMs`). */
export function drainHandlers(timeoutMs: number): Promise<boolean> {
  if (inFlight === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      drainWaiters.delete(done);
      resolve(true);
    };
    const timer = setTimeout(() => {
      drainWaiters.delete(done);
      resolve(false);
    }, timeoutMs);
    drainWaiters.add(done);
  });
}

/** Runs `event` from `table` for one socket (registered once per socket with socket.onAny). */
export async function dispatch(
  table: HandlerTable,
  ctx: HandlerContext,
  event: unknown,
  args: unknown[],
): Promise<void> {
  const ack = args.length > 0 ? args[args.length - 1] : undefined;
  const name = String(event);
  const h = Object.hasOwn(table, name) ? table[name] : undefined;
  if (typeof ack !== "function") {
    log.debug({ event: name }, "event without ack ignored");
    return;
  }
  const reply = ack as (r: Ack<unknown>) => void;
  if (!h) {
    reply({ ok: false, error: { code: "bad_request", message: "Unknown event" } });
    return;
  }
  inFlight++;
  const stopTimer = metrics().acks.startTimer({ event: name });
  let result: { data: unknown } | undefined;
  try {
    if (hasLimit(name)) await limits().consume(name, ctx.socket.data.user.id);
    const payload = args.length > 1 ? args[0] : undefined;
    result = { data: await h.run(ctx, payload) };
    reply({ ok: true, data: result.data });
    stopTimer({ outcome: "ok" });
  } catch (err) {
    const e = toAppError(err);
    stopTimer({ outcome: e.code });
    if (e.code === "internal")
      log.error(
        { err, event: name, sid: ctx.socket.id, uid: ctx.socket.data.user?.id },
        "socket handler failed",
      );
    reply({ ok: false, error: e.toJSON() });
  } finally {
    inFlight--;
    if (inFlight === 0) for (const w of [...drainWaiters]) w();
  }
  if (result && h.after) {
    try {
      h.after(ctx, result.data);
    } catch (err) {
      log.error({ err, event: name, sid: ctx.socket.id }, "after-ack step failed");
    }
  }
}

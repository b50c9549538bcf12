// Wraps a socket event handler: validates the ack, runs the service call, answers {ok,data}|{ok,error}.
// A handler never throws into Socket.IO and never leaves an ack unanswered. It also counts handlers
// in flight, so a shutdown can let started writes finish.
import type { Logger } from "pino";
import { toAppError } from "@/lib/errors";
import { metrics } from "@/lib/ops/metrics";
import type { Ack } from "./events";

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

export function withAck<T>(
  log: Logger,
  event: string,
  fn: (payload: unknown) => Promise<T>,
  /** Runs after the ack was sent (e.g. the broadcast, which must follow the sender's ack). */
  afterAck?: (data: T) => void,
) {
  return async (...args: unknown[]): Promise<void> => {
    const ack = args.length > 0 ? args[args.length - 1] : undefined;
    if (typeof ack !== "function") {
      log.debug({ event }, "event without ack ignored");
      return;
    }
    const reply = ack as (r: Ack<T>) => void;
    inFlight++;
    const stopTimer = metrics().acks.startTimer({ event });
    let result: { data: T } | undefined;
    try {
      const payload = args.length > 1 ? args[0] : undefined;
      result = { data: await fn(payload) };
      reply({ ok: true, data: result.data });
      stopTimer({ outcome: "ok" });
    } catch (err) {
      const e = toAppError(err);
      stopTimer({ outcome: e.code });
      if (e.code === "internal") log.error({ err, event }, "socket handler failed");
      reply({ ok: false, error: e.toJSON() });
    } finally {
      inFlight--;
      if (inFlight === 0) for (const w of [...drainWaiters]) w();
    }
    if (result && afterAck) {
      try {
        afterAck(result.data);
      } catch (err) {
        log.error({ err, event }, "after-ack step failed");
      }
    }
  };
}

// One table of socket event handlers for the whole server, and the dispatcher that runs them: it
// validates the ack, runs the service call, answers {ok,data}|{ok,error}, then runs the after-ack
// step (e.g. the broadcast, which must follow the sender's ack). A handler never throws into
// Socket.IO and never leaves an ack unanswered; an unknown event that asks for an ack gets an error.
// Each socket carries one listener (onAny) instead of a closure per event: less memory per idle
// connection. It also counts handlers in flight, so a shutdown can let started writes finish.
// Every event spends its user's budget (its row in lib/ratelimit/limits.ts) before its handler
// runs: a limited event costs one counter, never a database query or a broadcast.
import type { Logger } from "pino";
import type { Socket } from "socket.io";
import { toAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { metrics } from "@/lib/ops/metrics";
import { limits } from "@/lib/ratelimit/limits";
import type {
  Ack,
  ClientToServerEvents,
  DataOf,
  EventName,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from "@/lib/realtime/events";
import type { SharedState } from "@/lib/state/shared-state";
import { requireScope } from "@/lib/tokens/tokens.service";
import type { BeaconServer } from "./registry";

const log = logger.child({ module: "realtime" });

export type BeaconSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** What every handler gets: its socket, the server, shared state and a logger. */
export interface HandlerContext {
  socket: BeaconSocket;
  io: BeaconServer;
  state: SharedState;
  log: Logger;
}

/**
 * One event's handler. `run` gets the payload as sent (unknown: the services validate it) and
 * returns the ack's data; `after` runs once the ack was sent. Give both named functions, so a stack
 * trace names the handler. (Properties, not methods: their parameter types are checked strictly.)
 */
export interface EventHandler<T> {
  run: (ctx: HandlerContext, payload: unknown) => Promise<T>;
  /** Runs after the ack was sent. */
  after?: (ctx: HandlerContext, data: T) => void;
}

/**
 * The handler of every client event, typed by the protocol (events.ts): each file's part of the
 * table is written `{ … } satisfies Partial<HandlerTable>`, so a misspelled event name or an ack
 * whose data drifted from the protocol does not compile, and the whole table (server.ts) must
 * cover every event.
 */
export type HandlerTable = { readonly [E in EventName]: EventHandler<DataOf<E>> };

/**
 * The events an API token needs only the `read` scope for: reading history and changes, who is
 * online, and following a room (room:join: for a token without `write`, only rooms its user is a
 * member of, room-handlers.ts). Everything else (sending, editing, reacting, typing, read markers,
 * presence, leaving) needs `write`.
 */
export const READ_EVENTS: ReadonlySet<EventName> = new Set<EventName>([
  "message:list",
  "message:changes",
  "presence:list",
  "room:join",
]);

/** The token scope an event needs. */
export const scopeOf = (event: EventName): "read" | "write" => (READ_EVENTS.has(event) ? "read" : "write");

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
  const name = String(event) as EventName;
  // Each entry was checked against its own event where it was written; here only the pairing of one
  // handler's run and after matters, and the entry keeps that.
  const h = Object.hasOwn(table, name) ? (table[name] as EventHandler<unknown>) : undefined;
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
    // A socket opened with an API token acts only within its scopes (lib/tokens), like the REST API.
    const scopes = ctx.socket.data.tokenScopes;
    if (scopes) requireScope({ scopes }, scopeOf(name));
    // Every event has a budget: `consume` takes only names with a row in LIMITS, so an event without
    // one does not compile.
    await limits().consume(name, ctx.socket.data.user.id);
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

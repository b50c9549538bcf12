// State that every Beacon node must agree on: which sockets each user has (presence) and short-lived
// throttles (typing). Redis when REDIS_URL is set, so it works across nodes; process memory otherwise.
import { Redis } from "ioredis";

export type SocketState = "active" | "idle";

export interface SocketEntry {
  socketId: string;
  state: SocketState;
  seenAt: number;
  /** When the socket connected (ms since epoch): the oldest goes first when a user has too many. */
  connectedAt: number;
}

export interface SharedState {
  readonly kind: "redis" | "memory";
  /** Record (or refresh) one socket of a user. */
  putSocket(userId: string, socketId: string, state: SocketState, connectedAt: number): Promise<void>;
  removeSocket(userId: string, socketId: string): Promise<void>;
  /** Live sockets per user (entries older than the staleness window are dropped). */
  sockets(userIds: string[]): Promise<Map<string, SocketEntry[]>>;
  /** True the first time in `ms` for this key, false while it is throttled. */
  throttle(key: string, ms: number): Promise<boolean>;
  /**
   * Like throttle, but says how long is left: 0 when this call took the key for `ms`, else the ms
   * until the key is free again (slow mode answers with it).
   */
  claim(key: string, ms: number): Promise<number>;
  /** Free a claimed key early (the claim's action did not happen after all). */
  release(key: string): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A socket whose node has not refreshed it for this long is gone (e.g. its node was killed). */
export const STALE_AFTER_MS = 45_000;
export const REFRESH_EVERY_MS = 15_000;

export class MemoryState implements SharedState {
  readonly kind = "memory" as const;
  private users = new Map<string, Map<string, SocketEntry>>();
  private throttles = new Map<string, number>();

  async putSocket(userId: string, socketId: string, state: SocketState, connectedAt: number) {
    const m = this.users.get(userId) ?? new Map<string, SocketEntry>();
    this.users.set(userId, m);
    m.set(socketId, { socketId, state, seenAt: Date.now(), connectedAt });
  }

  async removeSocket(userId: string, socketId: string) {
    const m = this.users.get(userId);
    m?.delete(socketId);
    if (m && m.size === 0) this.users.delete(userId);
  }

  async sockets(userIds: string[]) {
    const now = Date.now();
    const out = new Map<string, SocketEntry[]>();
    for (const id of userIds) {
      out.set(
        id,
        [...(this.users.get(id)?.values() ?? [])].filter((e) => now - e.seenAt < STALE_AFTER_MS),
      );
    }
    return out;
  }

  async throttle(key: string, ms: number) {
    const now = Date.now();
    const until = this.throttles.get(key);
    if (until !== undefined && until > now) return false;
    this.throttles.set(key, now + ms);
    if (this.throttles.size > 10_000) {
      for (const [k, v] of this.throttles) if (v <= now) this.throttles.delete(k);
    }
    return true;
  }

  async claim(key: string, ms: number) {
    const now = Date.now();
    const until = this.throttles.get(key);
    if (until !== undefined && until > now) return until - now;
    await this.throttle(key, ms);
    return 0;
  }

  async release(key: string) {
    this.throttles.delete(key);
  }

  async ping() {
    return true;
  }

  async close() {}
}

export class RedisState implements SharedState {
  readonly kind = "redis" as const;
  constructor(
    readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(userId: string) {
    return `${this.prefix}:presence:${userId}`;
  }

  async putSocket(userId: string, socketId: string, state: SocketState, connectedAt: number) {
    const key = this.key(userId);
    await this.redis
      .multi()
      .hset(key, socketId, `${state}|${Date.now()}|${connectedAt}`)
      .pexpire(key, STALE_AFTER_MS * 2)
      .exec();
  }

  async removeSocket(userId: string, socketId: string) {
    await this.redis.hdel(this.key(userId), socketId);
  }

  async sockets(userIds: string[]) {
    const out = new Map<string, SocketEntry[]>();
    if (userIds.length === 0) return out;
    const pipe = this.redis.pipeline();
    for (const id of userIds) pipe.hgetall(this.key(id));
    const results = (await pipe.exec()) ?? [];
    const now = Date.now();
    const stale: [string, string][] = [];
    userIds.forEach((id, i) => {
      const raw = (results[i]?.[1] ?? {}) as Record<string, string>;
      const entries: SocketEntry[] = [];
      for (const [socketId, value] of Object.entries(raw)) {
        const [state, ts, connected] = value.split("|");
        const seenAt = Number(ts);
        // An entry written by an older node has no connection time: take its last refresh.
        const connectedAt = Number(connected) || seenAt;
        if (now - seenAt < STALE_AFTER_MS)
          entries.push({ socketId, state: state === "idle" ? "idle" : "active", seenAt, connectedAt });
        else stale.push([id, socketId]);
      }
      out.set(id, entries);
    });
    if (stale.length > 0) {
      const clean = this.redis.pipeline();
      for (const [id, sid] of stale) clean.hdel(this.key(id), sid);
      await clean.exec();
    }
    return out;
  }

  async throttle(key: string, ms: number) {
    return (await this.redis.set(`${this.prefix}:throttle:${key}`, "1", "PX", ms, "NX")) === "OK";
  }

  async claim(key: string, ms: number) {
    const k = `${this.prefix}:throttle:${key}`;
    // Twice at most: the key may expire between a refused SET and its PTTL (-2: gone).
    for (let i = 0; i < 2; i++) {
      if ((await this.redis.set(k, "1", "PX", ms, "NX")) === "OK") return 0;
      const left = await this.redis.pttl(k);
      if (left > 0) return left;
    }
    return 0;
  }

  async release(key: string) {
    await this.redis.del(`${this.prefix}:throttle:${key}`);
  }

  async ping() {
    try {
      return (await this.redis.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async close() {
    this.redis.disconnect();
  }
}

/** Connect to Redis, failing fast with a clear error when it is unreachable at boot. */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${new URL(url).host}: ${(err as Error).message}`);
  }
  return redis;
}

const g = globalThis as unknown as { __beaconState?: SharedState };

/**
 * The process's shared state, set by server.ts: kept on globalThis because route handlers run in
 * the Next bundle, a second module instance of this file (REST v1 reads presence through it).
 */
export function setSharedState(state: SharedState | undefined): void {
  g.__beaconState = state;
}

/** The shared state server.ts set up, or undefined (a route called outside the server, in tests). */
export function sharedState(): SharedState | undefined {
  return g.__beaconState;
}

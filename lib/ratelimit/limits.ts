// Rate limits (rate-limiter-flexible): in Redis when REDIS_URL is set, so every node counts the same
// budget; in memory otherwise. A limited action throws AppError("rate_limited") with retryAfterMs,
// before anything is stored.
import type { Redis } from "ioredis";
import {
  BurstyRateLimiter,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

export type LimitKind = "message" | "signinUser" | "signinIp" | "signup" | "connect";

/** Budgets at scale 1. RATE_LIMIT_SCALE multiplies the points (tests of other things raise it). */
export const LIMITS = {
  /** Per user and room: 5 per second, plus a burst allowance of 20 more per 10 s. */
  message: { steady: { points: 5, duration: 1 }, burst: { points: 20, duration: 10 } },
  /** Failed sign-ins per username: 5 per 15 minutes, then blocked for 15 minutes. */
  signinUser: { points: 5, duration: 900, blockDuration: 900 },
  /** Failed sign-ins per client IP: 30 per 15 minutes, then blocked for 15 minutes. */
  signinIp: { points: 30, duration: 900, blockDuration: 900 },
  /** Sign-ups per client IP: 10 per hour. */
  signup: { points: 10, duration: 3600 },
  /** New socket connections per user: 30 per minute. */
  connect: { points: 30, duration: 60 },
} as const;

interface Limiter {
  consume(key: string, points?: number): Promise<unknown>;
  reward?(key: string, points?: number): Promise<unknown>;
  get?(key: string): Promise<RateLimiterRes | null>;
  delete?(key: string): Promise<boolean>;
}

const MESSAGES: Record<LimitKind, (s: number) => string> = {
  message: (s) => `You're sending messages too fast — try again in ${s} s`,
  signinUser: (s) => `Too many failed sign-ins for this account — try again in ${Math.ceil(s / 60)} min`,
  signinIp: (s) => `Too many failed sign-ins from your network — try again in ${Math.ceil(s / 60)} min`,
  signup: (s) => `Too many new accounts from your network — try again in ${Math.ceil(s / 60)} min`,
  connect: (s) => `Too many connections — try again in ${s} s`,
};

export class RateLimits {
  private readonly limiters: Record<LimitKind, Limiter>;

  constructor(opts: { redis?: Redis; prefix?: string; scale?: number } = {}) {
    const scale = Math.max(1, opts.scale ?? 1);
    const make = (
      name: string,
      o: { points: number; duration: number; blockDuration?: number },
    ): RateLimiterAbstract => {
      const base = {
        ...o,
        points: Math.ceil(o.points * scale),
        keyPrefix: `${opts.prefix ?? "beacon"}:rl:${name}`,
      };
      return opts.redis
        ? new RateLimiterRedis({ ...base, storeClient: opts.redis })
        : new RateLimiterMemory(base);
    };
    this.limiters = {
      message: new BurstyRateLimiter(
        make("msg", LIMITS.message.steady),
        make("msgburst", LIMITS.message.burst),
      ),
      signinUser: make("signin-user", LIMITS.signinUser),
      signinIp: make("signin-ip", LIMITS.signinIp),
      signup: make("signup", LIMITS.signup),
      connect: make("connect", LIMITS.connect),
    };
  }

  /** Spend one point, or throw rate_limited with the time to wait. */
  async consume(kind: LimitKind, key: string): Promise<void> {
    try {
      await this.limiters[kind].consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw limited(kind, err.msBeforeNext);
      throw err; // the store failed: surface it rather than silently allow or deny
    }
  }

  /** Throw rate_limited if the key is currently out of points (without spending one). */
  async check(kind: LimitKind, key: string): Promise<void> {
    const res = await this.limiters[kind].get?.(key);
    const limit = this.pointsOf(kind);
    if (res && res.consumedPoints >= limit) throw limited(kind, res.msBeforeNext);
  }

  /**
   * Give back a point spent by `consume` (an attempt that turned out not to count, e.g. a correct
   * password). Spending first and refunding after is what keeps parallel attempts inside the budget:
   * a check before the slow work lets all of them through before any spends.
   */
  async reward(kind: LimitKind, key: string): Promise<void> {
    // Only a point that is still counted: a refund on an expired or reset key would store -1 with a
    // fresh window, and one on a blocked key would shorten the block.
    const res = await this.limiters[kind].get?.(key);
    if (!res || res.consumedPoints <= 0 || res.consumedPoints > this.pointsOf(kind)) return;
    await this.limiters[kind].reward?.(key, 1);
  }

  async reset(kind: LimitKind, key: string): Promise<void> {
    await this.limiters[kind].delete?.(key);
  }

  private pointsOf(kind: LimitKind): number {
    const l = this.limiters[kind] as unknown as { points?: number };
    return l.points ?? Number.POSITIVE_INFINITY;
  }
}

function limited(kind: LimitKind, ms: number): AppError {
  const retryAfterMs = Math.max(1000, Math.ceil(ms / 1000) * 1000);
  return new AppError("rate_limited", MESSAGES[kind](retryAfterMs / 1000), { retryAfterMs });
}

const g = globalThis as unknown as { __beaconLimits?: RateLimits };

/** The process's limits: set up by server.ts (Redis-backed when configured), memory otherwise. */
export function limits(): RateLimits {
  g.__beaconLimits ??= new RateLimits({ scale: env().RATE_LIMIT_SCALE });
  return g.__beaconLimits;
}

export function setLimits(l: RateLimits): void {
  g.__beaconLimits = l;
}

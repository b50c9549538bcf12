// Rate limits (rate-limiter-flexible): in Redis when REDIS_URL is set, so every node counts the same
// budget; in memory otherwise. A limited action throws AppError("rate_limited") with retryAfterMs,
// before anything is stored. Password guesses are slowed down rather than locked (slowdown.ts).
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
import { SlowDown, type SlowRule } from "@/lib/ratelimit/slowdown";

export type LimitKind = "message" | "signup" | "connect";
/** Failure budgets that slow down (a doubling wait) instead of locking: see slowdown.ts. */
export type SlowKind = "signinPair" | "signinIp" | "passwordChange" | "twoFactor";

/** Budgets at scale 1. RATE_LIMIT_SCALE multiplies the points (tests of other things raise it). */
export const LIMITS = {
  /** Per user and room: 5 per second, plus a burst allowance of 20 more per 10 s. */
  message: { steady: { points: 5, duration: 1 }, burst: { points: 20, duration: 10 } },
  /** Sign-ups per client IP: 10 per hour. */
  signup: { points: 10, duration: 3600 },
  /** New socket connections per user: 30 per minute. */
  connect: { points: 30, duration: 60 },

  // Every socket event and every signed-in route, per user (all of a user's tabs and nodes share
  // it). Checked before anything else runs (lib/realtime/server/dispatcher.ts, requireApiUser), so
  // a limited request costs one counter, no database. Every client event must have a row: the
  // dispatcher does not compile otherwise. Sized so that normal use never meets them: a reconnect
  // that re-joins and catches up many rooms at once (room:join + message:list + message:changes
  // each), typing (one typing:start per 2 s at most), reading a busy room (a room:read per message).
  "room:join": { points: 600, duration: 60 },
  "room:leave": { points: 600, duration: 60 },
  "room:read": { points: 1200, duration: 60 },
  "room:mute": { points: 60, duration: 60 },
  /** Across all rooms (the `message` budget above is per room): bounds sends to rooms that do not exist. */
  "message:send": { points: 120, duration: 10 },
  "message:list": { points: 1200, duration: 60 },
  "message:changes": { points: 1200, duration: 60 },
  "message:edit": { points: 60, duration: 60 },
  "message:delete": { points: 120, duration: 60 },
  "message:pin": { points: 60, duration: 60 },
  "reaction:toggle": { points: 120, duration: 60 },
  "presence:set": { points: 120, duration: 60 },
  "presence:list": { points: 600, duration: 60 },
  "typing:start": { points: 120, duration: 60 },
  "typing:stop": { points: 300, duration: 60 },
  /** Slash commands: a custom one is an outgoing HTTP request (5 s timeout). */
  "command:run": { points: 60, duration: 60 },
  "command:list": { points: 300, duration: 60 },
  /** Debounced by the composer (one save per pause in typing, per room). */
  "draft:save": { points: 300, duration: 60 },
  /** On each reconnect, per open composer. */
  "draft:get": { points: 600, duration: 60 },
  "GET /api/sidebar": { points: 300, duration: 60 },
  "GET /api/rooms": { points: 300, duration: 60 },
  "POST /api/rooms": { points: 60, duration: 3600 },
  "GET /api/rooms/public": { points: 300, duration: 60 },
  "GET /api/rooms/:roomId": { points: 600, duration: 60 },
  "GET /api/rooms/:roomId/messages": { points: 1200, duration: 60 },
  "GET /api/rooms/:roomId/members": { points: 600, duration: 60 },
  "POST /api/rooms/:roomId/members": { points: 120, duration: 60 },
  "POST /api/rooms/:roomId/join": { points: 120, duration: 60 },
  "POST /api/rooms/:roomId/leave": { points: 120, duration: 60 },
  // Room moderation (lib/rooms/moderation.service.ts).
  "PATCH /api/rooms/:roomId": { points: 60, duration: 60 },
  "DELETE /api/rooms/:roomId": { points: 20, duration: 3600 },
  "PATCH /api/rooms/:roomId/members/:userId": { points: 60, duration: 60 },
  "DELETE /api/rooms/:roomId/members/:userId": { points: 120, duration: 60 },
  "GET /api/rooms/:roomId/bans": { points: 300, duration: 60 },
  "PUT /api/rooms/:roomId/bans/:userId": { points: 120, duration: 60 },
  "DELETE /api/rooms/:roomId/bans/:userId": { points: 120, duration: 60 },
  "GET /api/rooms/:roomId/pins": { points: 600, duration: 60 },
  "POST /api/dms": { points: 120, duration: 60 },
  "GET /api/mentions": { points: 300, duration: 60 },
  "GET /api/search": { points: 120, duration: 60 },
  "GET /api/users/search": { points: 300, duration: 60 },
  /** Uploads: each is a stream into storage (and sharp work for images). */
  "POST /api/files": { points: 120, duration: 60 },
  "DELETE /api/files/:fileId": { points: 120, duration: 60 },
  /** Every image and thumbnail of a busy room is one (revalidated on each use). */
  "GET /api/files/:fileId": { points: 3000, duration: 60 },
  "GET /api/rooms/:roomId/files": { points: 300, duration: 60 },
  "POST /api/account/avatar": { points: 20, duration: 3600 },
  "DELETE /api/account/avatar": { points: 20, duration: 3600 },
  /** Every face in the timeline, sidebar and member lists. */
  "GET /api/users/:userId/avatar": { points: 3000, duration: 60 },
  /** On top of the sign-in limit on wrong passwords: each check is an argon2 hash. */
  "POST /api/account/password": { points: 20, duration: 3600 },
  "POST /api/account/sign-out-everywhere": { points: 20, duration: 3600 },
  /** Two-factor set-up and removal; wrong codes are also slowed down (the `twoFactor` failure budget). */
  "GET /api/account/two-factor": { points: 120, duration: 60 },
  "POST /api/account/two-factor": { points: 30, duration: 3600 },
  "GET /api/account/sessions": { points: 120, duration: 60 },
  "DELETE /api/account/sessions/:sid": { points: 120, duration: 3600 },
  "POST /api/account/sessions/sign-out-others": { points: 20, duration: 3600 },
  "GET /api/account/profile": { points: 120, duration: 60 },
  "PATCH /api/account/profile": { points: 60, duration: 3600 },
  "PUT /api/account/locale": { points: 60, duration: 3600 },
  "GET /api/profiles/:username": { points: 600, duration: 60 },
  /** Admins: the workspace's two-factor policy. */
  "PUT /api/admin/two-factor-policy": { points: 60, duration: 3600 },
  "GET /api/invites": { points: 300, duration: 60 },
  "POST /api/invites": { points: 120, duration: 3600 },
  "DELETE /api/invites/:id": { points: 120, duration: 60 },
  "POST /api/invites/:token/accept": { points: 60, duration: 60 },
  /** Public (no sign-in): counted per client address. */
  "GET /api/invites/:token/preview": { points: 120, duration: 60 },
  // The admin console (admins only; 404 for everyone else).
  "GET /api/admin/users": { points: 300, duration: 60 },
  "GET /api/admin/users/:id": { points: 300, duration: 60 },
  "PATCH /api/admin/users/:id": { points: 120, duration: 60 },
  "POST /api/admin/users/:id/reset-link": { points: 60, duration: 3600 },
  "GET /api/admin/rooms": { points: 300, duration: 60 },
  "GET /api/admin/audit": { points: 300, duration: 60 },
  "GET /api/admin/settings": { points: 300, duration: 60 },
  /** Custom slash commands (lib/commands). */
  "GET /api/admin/commands": { points: 300, duration: 60 },
  "POST /api/admin/commands": { points: 60, duration: 3600 },
  "DELETE /api/admin/commands/:id": { points: 120, duration: 60 },
  "PATCH /api/admin/settings": { points: 60, duration: 60 },
  /** Settings → Sign-in methods (each link is a round trip through the provider). */
  "POST /api/account/sign-in-methods/link": { points: 30, duration: 3600 },
  "POST /api/account/sign-in-methods/pending": { points: 30, duration: 3600 },
  "DELETE /api/account/sign-in-methods/pending": { points: 60, duration: 3600 },
  "DELETE /api/account/sign-in-methods/:provider": { points: 30, duration: 3600 },
  "GET /api/account/sso-logout": { points: 120, duration: 3600 },
  // Webhooks (lib/webhooks): managing them, and each incoming hook's URL (counted per hook, before
  // any database work; the bot's own `message` budget applies on top).
  "GET /api/webhooks": { points: 300, duration: 60 },
  "POST /api/webhooks/incoming": { points: 60, duration: 3600 },
  "POST /api/webhooks/incoming/:id/regenerate": { points: 60, duration: 3600 },
  "DELETE /api/webhooks/incoming/:id": { points: 120, duration: 60 },
  "POST /api/webhooks/outgoing": { points: 60, duration: 3600 },
  "DELETE /api/webhooks/outgoing/:id": { points: 120, duration: 60 },
  "GET /api/webhooks/outgoing/:id/deliveries": { points: 600, duration: 60 },
  /** Per incoming hook: 60 a minute (Slack allows about one a second). */
  "POST /hooks/:hookId/:secret": { points: 60, duration: 60 },
  // The REST API v1 (lib/http/v1/registry.ts): one row per operation; a token's scope follows the
  // method (GET: read, else write). Sends also spend the per-room `message` budget, like sockets.
  "GET /api/v1/rooms": { points: 300, duration: 60 },
  "POST /api/v1/rooms": { points: 60, duration: 3600 },
  "GET /api/v1/rooms/:roomId": { points: 600, duration: 60 },
  "POST /api/v1/rooms/:roomId/join": { points: 120, duration: 60 },
  "POST /api/v1/rooms/:roomId/leave": { points: 120, duration: 60 },
  "GET /api/v1/rooms/:roomId/members": { points: 600, duration: 60 },
  "GET /api/v1/rooms/:roomId/messages": { points: 1200, duration: 60 },
  "POST /api/v1/rooms/:roomId/messages": { points: 120, duration: 10 },
  "PATCH /api/v1/rooms/:roomId/messages/:messageId": { points: 60, duration: 60 },
  "DELETE /api/v1/rooms/:roomId/messages/:messageId": { points: 120, duration: 60 },
  "PUT /api/v1/rooms/:roomId/messages/:messageId/reactions/:emoji": { points: 120, duration: 60 },
  "DELETE /api/v1/rooms/:roomId/messages/:messageId/reactions/:emoji": { points: 120, duration: 60 },
  "POST /api/v1/files": { points: 120, duration: 60 },
  "GET /api/v1/files/:fileId": { points: 3000, duration: 60 },
  "GET /api/v1/users/me": { points: 300, duration: 60 },
  "GET /api/v1/users/:username": { points: 600, duration: 60 },
  // Personal access tokens (lib/tokens; a browser session only) and bots (lib/bots).
  "GET /api/account/tokens": { points: 120, duration: 60 },
  "POST /api/account/tokens": { points: 30, duration: 3600 },
  "DELETE /api/account/tokens/:id": { points: 120, duration: 60 },
  "GET /api/bots": { points: 120, duration: 60 },
  "POST /api/bots": { points: 30, duration: 3600 },
  "GET /api/bots/:id": { points: 300, duration: 60 },
  "PATCH /api/bots/:id": { points: 60, duration: 60 },
  "DELETE /api/bots/:id": { points: 30, duration: 3600 },
  "POST /api/bots/:id/avatar": { points: 20, duration: 3600 },
  "DELETE /api/bots/:id/avatar": { points: 20, duration: 3600 },
  "GET /api/bots/:id/tokens": { points: 120, duration: 60 },
  "POST /api/bots/:id/tokens": { points: 30, duration: 3600 },
  "DELETE /api/bots/:id/tokens/:tokenId": { points: 120, duration: 60 },
} as const;

const S = 1000;
/**
 * Password guesses (OWASP): counted per (username, address) pair, so an attacker's address never
 * slows the account's owner elsewhere; per address across usernames (credential stuffing), which
 * touches no other address; never per username alone, which would let anyone lock anyone out.
 */
export const SLOWDOWNS: Record<SlowKind, SlowRule> = {
  /** Failed sign-ins per username and address: 5 per hour free, then 1 s doubling up to 5 min. */
  signinPair: { free: 5, windowMs: 3600 * S, baseDelayMs: S, maxDelayMs: 300 * S },
  /** Failed sign-ins per address, any username: 30 per hour free, then 1 s doubling up to 15 min. */
  signinIp: { free: 30, windowMs: 3600 * S, baseDelayMs: S, maxDelayMs: 900 * S },
  /** Wrong current passwords per user (a stolen session guessing it): like signinPair. */
  passwordChange: { free: 5, windowMs: 3600 * S, baseDelayMs: S, maxDelayMs: 300 * S },
  /**
   * Wrong two-factor codes per account (at sign-in after the right password, and in Settings): 5 per
   * hour free, then 1 s doubling up to 15 min. Per account: whoever is guessing already has the password.
   */
  twoFactor: { free: 5, windowMs: 3600 * S, baseDelayMs: S, maxDelayMs: 900 * S },
};

/** A socket event or signed-in route: one budget per user, spent before the request does anything. */
export type RequestKind = Exclude<keyof typeof LIMITS, LimitKind>;

type Kind = LimitKind | RequestKind;

interface Limiter {
  consume(key: string, points?: number): Promise<unknown>;
  reward?(key: string, points?: number): Promise<unknown>;
  get?(key: string): Promise<RateLimiterRes | null>;
  delete?(key: string): Promise<boolean>;
}

const wait = (s: number) => (s < 60 ? `${s} s` : `${Math.ceil(s / 60)} min`);
const MESSAGES: Record<LimitKind | SlowKind, (s: number) => string> = {
  message: (s) => `You're sending messages too fast — try again in ${s} s`,
  signinPair: (s) => `Too many failed sign-ins — try again in ${wait(s)}`,
  signinIp: (s) => `Too many failed sign-ins from your network — try again in ${wait(s)}`,
  passwordChange: (s) => `Too many wrong passwords — try again in ${wait(s)}`,
  twoFactor: (s) => `Too many wrong codes — try again in ${wait(s)}`,
  signup: (s) => `Too many new accounts from your network — try again in ${Math.ceil(s / 60)} min`,
  connect: (s) => `Too many connections — try again in ${s} s`,
};
const tooOften = (s: number) => `You're doing that too often — try again in ${s} s`;

export class RateLimits {
  private readonly limiters: Record<Kind, Limiter>;
  private readonly slow: Record<SlowKind, SlowDown>;

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
    const named: Record<LimitKind, Limiter> = {
      message: new BurstyRateLimiter(
        make("msg", LIMITS.message.steady),
        make("msgburst", LIMITS.message.burst),
      ),
      signup: make("signup", LIMITS.signup),
      connect: make("connect", LIMITS.connect),
    };
    // Every other row (socket events, routes) is one plain budget, named after its row.
    const perRequest = Object.keys(LIMITS)
      .filter((k): k is RequestKind => !Object.hasOwn(named, k))
      .map((k) => [k, make(k, LIMITS[k])]);
    this.limiters = { ...named, ...(Object.fromEntries(perRequest) as Record<RequestKind, Limiter>) };
    const slow = (name: string, rule: SlowRule) =>
      new SlowDown(name, { ...rule, free: Math.ceil(rule.free * scale) }, opts);
    this.slow = {
      signinPair: slow("signin-pair", SLOWDOWNS.signinPair),
      signinIp: slow("signin-ip", SLOWDOWNS.signinIp),
      passwordChange: slow("password-change", SLOWDOWNS.passwordChange),
      twoFactor: slow("two-factor", SLOWDOWNS.twoFactor),
    };
  }

  /**
   * Spend one point, or throw rate_limited with the time to wait. For a SlowKind the attempt counts
   * as a failure until `reward` (compared nothing) or `reset` (right password).
   */
  async consume(kind: Kind | SlowKind, key: string): Promise<void> {
    if (isSlow(kind)) {
      const res = await this.slow[kind].begin(key);
      if (!res.ok) throw limited(kind, res.retryAfterMs);
      return;
    }
    try {
      await this.limiters[kind].consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw limited(kind, err.msBeforeNext);
      throw err; // the store failed: surface it rather than silently allow or deny
    }
  }

  /** Throw rate_limited if the key is currently out of points (without spending one). */
  async check(kind: Kind | SlowKind, key: string): Promise<void> {
    if (isSlow(kind)) {
      const ms = await this.slow[kind].waitMs(key);
      if (ms > 0) throw limited(kind, ms);
      return;
    }
    const res = await this.limiters[kind].get?.(key);
    const limit = this.pointsOf(kind);
    if (res && res.consumedPoints >= limit) throw limited(kind, res.msBeforeNext);
  }

  /**
   * Give back a point spent by `consume` (an attempt that turned out not to count, e.g. a correct
   * password). Spending first and refunding after is what keeps parallel attempts inside the budget:
   * a check before the slow work lets all of them through before any spends.
   */
  async reward(kind: Kind | SlowKind, key: string): Promise<void> {
    if (isSlow(kind)) return this.slow[kind].refund(key);
    // Only a point that is still counted: a refund on an expired or reset key would store -1 with a
    // fresh window, and one on a blocked key would shorten the block.
    const res = await this.limiters[kind].get?.(key);
    if (!res || res.consumedPoints <= 0 || res.consumedPoints > this.pointsOf(kind)) return;
    await this.limiters[kind].reward?.(key, 1);
  }

  async reset(kind: Kind | SlowKind, key: string): Promise<void> {
    if (isSlow(kind)) return this.slow[kind].reset(key);
    await this.limiters[kind].delete?.(key);
  }

  private pointsOf(kind: Kind): number {
    const l = this.limiters[kind] as unknown as { points?: number };
    return l.points ?? Number.POSITIVE_INFINITY;
  }
}

function isSlow(kind: Kind | SlowKind): kind is SlowKind {
  return kind in SLOWDOWNS;
}

function limited(kind: Kind | SlowKind, ms: number): AppError {
  const retryAfterMs = Math.max(1000, Math.ceil(ms / 1000) * 1000);
  const message = Object.hasOwn(MESSAGES, kind) ? MESSAGES[kind as LimitKind | SlowKind] : tooOften;
  return new AppError("rate_limited", message(retryAfterMs / 1000), { retryAfterMs });
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

// Failure budgets that slow down instead of locking (OWASP's advice for sign-ins): the first `free`
// failures of a key cost nothing, then every further attempt must wait a delay that doubles with each
// failure, up to `maxDelayMs`. Failures are forgotten `windowMs` after the key's first one.
//
// One atomic step per attempt (a Lua script in Redis, a synchronous map update in memory) both checks
// the wait and counts the attempt as a failure, and arms the next wait at once, before the password
// is even compared: N parallel guesses cannot all slip through before the first failure is recorded.
// A right password resets the key; an attempt that compared nothing (outage) is refunded.
// rate-limiter-flexible has no such primitive (its blocks have a fixed length), hence this file.
import type { Redis } from "ioredis";

export interface SlowRule {
  /** Failures per window that cost no wait. */
  free: number;
  /** Failures are forgotten this long after the first one of the window. */
  windowMs: number;
  /** The wait after the `free`-th failure; it doubles with each further one. */
  baseDelayMs: number;
  /** The longest wait between two attempts: the key is slowed, never locked. */
  maxDelayMs: number;
}

/** `{ok: true}` when the attempt may go ahead (and was counted), else how long to wait. */
export type SlowResult = { ok: true; failures: number } | { ok: false; retryAfterMs: number };

/** The wait armed by the `failures`-th failure (0 below the free budget). */
export function delayAfter(rule: SlowRule, failures: number): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.baseDelayMs * 2 ** (failures - rule.free), rule.maxDelayMs);
}

// KEYS[1] = hash {f: failures, n: next attempt allowed at (ms)}; ARGV = free, base, max, window.
// Redis' own clock (TIME): every node agrees on "now".
const BEGIN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nextAt = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if now < nextAt then return {0, nextAt - now} end
local f = redis.call('HINCRBY', KEYS[1], 'f', 1)
local free = tonumber(ARGV[1])
local delay = 0
if f >= free then
  delay = math.min(tonumber(ARGV[2]) * 2 ^ (f - free), tonumber(ARGV[3]))
  redis.call('HSET', KEYS[1], 'n', now + delay)
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) elseif ttl < delay then redis.call('PEXPIRE', KEYS[1], delay) end
return {1, f}
`;
// A refund never goes below zero (an expired or reset key stays empty); below the free budget no
// wait applies, so the one this attempt armed is dropped.
const REFUND = `
local f = tonumber(redis.call('HGET', KEYS[1], 'f') or '0')
if f <= 0 then return 0 end
f = redis.call('HINCRBY', KEYS[1], 'f', -1)
if f < tonumber(ARGV[1]) then redis.call('HDEL', KEYS[1], 'n') end
return f
`;

interface Entry {
  failures: number;
  nextAt: number;
  expiresAt: number;
}

export class SlowDown {
  private readonly memory = new Map<string, Entry>();
  private lastPrune = 0;

  constructor(
    private readonly name: string,
    private readonly rule: SlowRule,
    private readonly opts: { redis?: Redis; prefix?: string } = {},
  ) {}

  /** Count an attempt as a failure (refund or reset it afterwards), unless it must wait first. */
  async begin(key: string): Promise<SlowResult> {
    const { free, baseDelayMs, maxDelayMs, windowMs } = this.rule;
    if (this.opts.redis) {
      const [ok, n] = (await this.opts.redis.eval(
        BEGIN,
        1,
        this.key(key),
        free,
        baseDelayMs,
        maxDelayMs,
        windowMs,
      )) as [number, number];
      return ok === 1 ? { ok: true, failures: n } : { ok: false, retryAfterMs: n };
    }
    const now = Date.now();
    this.prune(now);
    const e = this.entry(key, now) ?? { failures: 0, nextAt: 0, expiresAt: now + windowMs };
    if (now < e.nextAt) return { ok: false, retryAfterMs: e.nextAt - now };
    e.failures += 1;
    const delay = delayAfter(this.rule, e.failures);
    if (delay > 0) e.nextAt = now + delay;
    e.expiresAt = Math.max(e.expiresAt, now + delay);
    this.memory.set(key, e);
    return { ok: true, failures: e.failures };
  }

  /** How long the next attempt must wait (0: it may go ahead), without counting anything. */
  async waitMs(key: string): Promise<number> {
    if (this.opts.redis) {
      const [nextAt, time] = await Promise.all([
        this.opts.redis.hget(this.key(key), "n"),
        this.opts.redis.time(),
      ]);
      const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
      return Math.max(0, Number(nextAt ?? 0) - now);
    }
    const now = Date.now();
    return Math.max(0, (this.entry(key, now)?.nextAt ?? 0) - now);
  }

  /** Give back an attempt counted by `begin` that compared nothing. */
  async refund(key: string): Promise<void> {
    if (this.opts.redis) {
      await this.opts.redis.eval(REFUND, 1, this.key(key), this.rule.free);
      return;
    }
    const e = this.entry(key, Date.now());
    if (!e || e.failures <= 0) return;
    e.failures -= 1;
    if (e.failures < this.rule.free) e.nextAt = 0;
  }

  /** Forget the key's failures (a right password). */
  async reset(key: string): Promise<void> {
    if (this.opts.redis) await this.opts.redis.del(this.key(key));
    else this.memory.delete(key);
  }

  private key(key: string): string {
    return `${this.opts.prefix ?? "beacon"}:slow:${this.name}:${key}`;
  }

  private entry(key: string, now: number): Entry | undefined {
    const e = this.memory.get(key);
    if (e && e.expiresAt <= now) {
      this.memory.delete(key);
      return undefined;
    }
    return e;
  }

  /** Drop expired keys at most once a minute, so addresses that never come back do not pile up. */
  private prune(now: number): void {
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    for (const [k, e] of this.memory) if (e.expiresAt <= now) this.memory.delete(k);
  }
}

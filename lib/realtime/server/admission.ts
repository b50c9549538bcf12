// Admission control for socket handshakes. When a node restarts, every client it had comes back
// within seconds; each handshake reads the database (the session, the user's rooms) and is followed
// by the client's catch-up. Unbounded, they take every pooled connection, sends wait behind them and
// handshakes time out and retry, which makes it worse. So at most `concurrency` handshakes are
// authenticated at once, up to `maxQueue` more wait their turn, and any beyond that are answered at
// once with connect_error `retry_after` and `data: {code, message, retryAfterMs}`: come back then
// (clients add jitter, lib/realtime/client/socket.ts). Refusing costs almost nothing; a queue that
// grows without bound costs memory and time-outs.

export interface AdmissionOptions {
  /** Handshakes authenticated at once. */
  concurrency: number;
  /** Handshakes waiting for a turn; one more is answered retry_after. */
  maxQueue: number;
  now?: () => number;
}

/** The retry_after refusal's data (docs/protocol.md, Connecting). */
export interface RetryAfter {
  code: "retry_after";
  message: string;
  retryAfterMs: number;
}

/** Shortest and longest wait a refusal asks for. */
export const RETRY_AFTER_MIN_MS = 250;
export const RETRY_AFTER_MAX_MS = 15_000;
/** The least throughput (handshakes/s) a refusal's wait is estimated with. */
const INITIAL_RATE = 200;
const WINDOW_MS = 1_000;

/** Counts events per second over a sliding window of two halves (cheap, no timers). */
class RateWindow {
  private current = 0;
  private previous = 0;
  private start: number;
  constructor(private readonly now: () => number) {
    this.start = now();
  }
  private roll(): number {
    const t = this.now();
    const elapsed = t - this.start;
    if (elapsed >= 2 * WINDOW_MS) {
      this.previous = 0;
      this.current = 0;
      this.start = t;
      return 0;
    }
    if (elapsed >= WINDOW_MS) {
      this.previous = this.current;
      this.current = 0;
      this.start += WINDOW_MS;
      return t - this.start;
    }
    return elapsed;
  }
  add(): void {
    this.roll();
    this.current++;
  }
  /** Events in the last second (the previous window weighted by how much of it is still in). */
  perSecond(): number {
    const into = this.roll();
    return this.current + this.previous * (1 - into / WINDOW_MS);
  }
}

export class Admission {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  private readonly done: RateWindow;
  private readonly refused: RateWindow;
  readonly concurrency: number;
  readonly maxQueue: number;
  /** Handshakes refused with retry_after since start (metrics, tests). */
  refusals = 0;

  constructor(opts: AdmissionOptions) {
    const now = opts.now ?? Date.now;
    this.concurrency = Math.max(1, opts.concurrency);
    this.maxQueue = Math.max(0, opts.maxQueue);
    this.done = new RateWindow(now);
    this.refused = new RateWindow(now);
  }

  /** Handshakes waiting for a turn. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Handshakes being authenticated. */
  get running(): number {
    return this.active;
  }

  /**
   * A turn: resolves with its release (call it once the handshake is decided) when one is free, or
   * returns a retry_after answer when the queue is full.
   */
  enter(): Promise<() => void> | RetryAfter {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.maxQueue) {
      this.refused.add();
      this.refusals++;
      return this.retryAfter();
    }
    return new Promise((resolve) => this.queue.push(() => resolve(this.releaser())));
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.done.add();
      const next = this.queue.shift();
      if (next)
        next(); // the turn passes on: `active` stays
      else this.active--;
    };
  }

  /**
   * When to come back: the time this node needs, at the rate it is finishing handshakes now, for
   * everyone ahead (running, queued) and for everyone refused in the last second (they come back
   * too). Clients spread their return over up to twice that (jitter), so they do not arrive together.
   */
  retryAfter(): RetryAfter {
    // Never below INITIAL_RATE: at the start of a storm few handshakes have finished yet, and an
    // estimate that is too short only means another (cheap) refusal with a better one.
    const rate = Math.max(this.done.perSecond(), INITIAL_RATE);
    const ahead = this.active + this.queue.length + this.refused.perSecond();
    const ms = Math.round((ahead / rate) * 1000);
    const retryAfterMs = Math.min(RETRY_AFTER_MAX_MS, Math.max(RETRY_AFTER_MIN_MS, ms));
    return {
      code: "retry_after",
      message: `The server is busy: reconnect in ${Math.ceil(retryAfterMs / 1000)} s`,
      retryAfterMs,
    };
  }
}

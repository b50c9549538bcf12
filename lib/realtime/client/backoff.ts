// Retrying work that must eventually succeed while connected (a room's join → catch-up → changes):
// a quiet room has no later event that would retry it, so a failure schedules its own retry.

/**
 * The one backoff formula (room sync retries, socket reconnects): doubling from `baseMs` up to
 * `maxMs`, jittered to 50–100 % so a reconnect storm does not retry in lockstep.
 */
export function retryDelayMs(
  failures: number,
  random: () => number = Math.random,
  baseMs = 1000,
  maxMs = 30_000,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Error codes a retry cannot fix: the request is wrong (`validation`), or the actor may not do it
 * (`unauthorized`, `forbidden`, `not_found`). Anything else (`unavailable`, `internal`, a timeout…)
 * may pass later.
 */
export function isPermanentError(code: string): boolean {
  return code === "validation" || code === "unauthorized" || code === "forbidden" || code === "not_found";
}

/** One attempt's outcome: finished, failed for now (try again later), or no point trying (gone). */
export type AttemptResult = "done" | "retry" | "stop";

export interface RetryLoop {
  /** Run now (on connect, backoff reset); if an attempt is running, run once more after it. */
  start(): void;
  /**
   * A related step failed outside the loop (a gap's catch-up): retry after a backoff delay; if an
   * attempt is running, after that attempt ends.
   */
  retrySoon(): void;
  /** Disconnected: drop the pending retry (the next connect starts over). */
  pause(): void;
  /** Unmounted or switched rooms: never run again. */
  dispose(): void;
  readonly active: boolean;
}

export function retryLoop(opts: {
  attempt: () => Promise<AttemptResult>;
  /** Retries are only scheduled while this is true (connected). */
  canRetry: () => boolean;
  delayMs?: (failures: number) => number;
}): RetryLoop {
  const delayMs = opts.delayMs ?? ((n: number) => retryDelayMs(n));
  let active = true;
  let running = false;
  let again = false;
  let retryAfter = false; // retrySoon() while an attempt ran: retry after it, whatever its result
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    if (active && opts.canRetry()) timer = setTimeout(() => void run(), delayMs(failures++));
  };
  const run = async () => {
    clearTimeout(timer);
    if (!active) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        retryAfter = false; // this attempt redoes the whole sync, so it covers earlier requests
        const result = await opts.attempt().catch((): AttemptResult => "retry");
        if (result === "stop" || !active) return;
        if (result === "retry") {
          if (again) continue; // asked again meanwhile (a reconnect): start over at once
          schedule();
          return;
        }
        failures = 0;
      } while (again);
      // A related step failed while this attempt ran (a live gap's catch-up, after this attempt's own
      // catch-up): its "done" does not cover that, and a quiet room has no later event to retry it.
      if (retryAfter) schedule();
    } finally {
      running = false;
    }
  };
  return {
    start: () => {
      failures = 0;
      void run();
    },
    retrySoon: () => {
      if (running) retryAfter = true;
      else schedule();
    },
    pause: () => clearTimeout(timer),
    dispose: () => {
      active = false;
      clearTimeout(timer);
    },
    get active() {
      return active;
    },
  };
}

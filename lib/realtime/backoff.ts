// Retrying work that must eventually succeed while connected (a room's join → catch-up → changes):
// a quiet room has no later event that would retry it, so a failure schedules its own retry.

/** Doubling from 1 s up to 30 s, jittered to 50–100 % so a reconnect storm does not retry in lockstep. */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, failures));
  return Math.round(base * (0.5 + random() / 2));
}

/** One attempt's outcome: finished, failed for now (try again later), or no point trying (gone). */
export type AttemptResult = "done" | "retry" | "stop";

export interface RetryLoop {
  /** Run now (on connect, backoff reset); if an attempt is running, run once more after it. */
  start(): void;
  /** A related step failed outside the loop (a gap's catch-up): retry after a backoff delay. */
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
        const result = await opts.attempt().catch((): AttemptResult => "retry");
        if (result === "stop" || !active) return;
        if (result === "retry") {
          if (again) continue; // asked again meanwhile (a reconnect): start over at once
          schedule();
          return;
        }
        failures = 0;
      } while (again);
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
      if (!running) schedule();
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

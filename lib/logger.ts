// Structured JSON logs (pino); one root logger per process, children per module.
import pino from "pino";

const g = globalThis as unknown as { __beaconLogger?: pino.Logger };

export const logger: pino.Logger =
  g.__beaconLogger ??
  pino({
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
    base: { pid: process.pid },
  });
g.__beaconLogger = logger;

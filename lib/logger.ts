// Structured JSON logs (pino); one root logger per process, children per module.
import pino from "pino";
import { logLevel } from "@/lib/env";

const g = globalThis as unknown as { __beaconLogger?: pino.Logger };

export const logger: pino.Logger =
  g.__beaconLogger ??
  pino({
    level: logLevel(),
    base: { pid: process.pid },
  });
g.__beaconLogger = logger;

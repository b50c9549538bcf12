// GET /stats on the bare bench servers: RSS and event-loop delay p99 since the last reset, the same
// figures the orchestrator reads from Beacon's /api/metrics.
import type { IncomingMessage, ServerResponse } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

export function statsHandler(req: IncomingMessage, res: ServerResponse): boolean {
  if (!req.url?.startsWith("/stats")) return false;
  const body = JSON.stringify({ rss: process.memoryUsage.rss(), eventLoopP99Ms: delay.percentile(99) / 1e6 });
  delay.reset();
  res.writeHead(200, { "content-type": "application/json" }).end(body);
  return true;
}

export function announce(port: number): void {
  console.info(`bench server ready on port ${port}`);
}

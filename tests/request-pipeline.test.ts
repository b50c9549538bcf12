// The whole HTTP pipeline server.ts puts in front of Next (lib/http/pipeline.ts), on a real
// node:http server with raw requests: request ids, the access log, the ops routes answered before
// the app, the guard's refusals, and a JSON 500 when the app's handler fails.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createRequestPipeline } from "@/lib/http/pipeline";
import { MemoryState } from "@/lib/state/shared-state";
import { rawServer } from "./helpers/raw-http";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

type Line = { level: number; msg: string; reqId?: string; method?: string; path?: string; status?: number };

/** The pipeline in front of `app` (a stand-in for Next's handler that records what reached it). */
async function serve(app: (req: IncomingMessage, res: ServerResponse) => Promise<void>, draining = false) {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const reached: string[] = [];
  const server = await rawServer(
    createRequestPipeline({
      config: { TRUST_PROXY: false, ALLOWED_ORIGINS: [] },
      ops: { state: new MemoryState(), isShuttingDown: () => draining },
      next: (req, res) => {
        reached.push(`${req.method} ${req.url}`);
        return app(req, res);
      },
      log: pino({ level: "info" }, sink),
    }),
  );
  closers.push(server.close);
  const { send } = server;
  /** The access log lines, once the `finish` handlers of the answered requests have run. */
  const requestLines = async () => {
    await new Promise((r) => setImmediate(r));
    return lines.filter((l) => l.msg === "request");
  };
  return { send, reached, lines, requestLines };
}

const ok = async (_req: IncomingMessage, res: ServerResponse) => {
  res.end("app");
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("the request pipeline", () => {
  it("gives every request an id (the caller's, at most 100 characters, or a new one) and logs it", async () => {
    const s = await serve(ok);
    const fresh = await s.send("GET", "/rooms?x=1");
    const given = await s.send("GET", "/rooms", { "x-request-id": "trace-7" });
    const long = await s.send("GET", "/rooms", { "x-request-id": "a".repeat(300) });
    expect(fresh.body).toBe("app");
    expect(fresh.headers["x-request-id"]).toMatch(UUID);
    expect(given.headers["x-request-id"]).toBe("trace-7");
    expect(long.headers["x-request-id"]).toBe("a".repeat(100));
    const lines = await s.requestLines();
    expect(lines.map(({ reqId, method, path, status }) => ({ reqId, method, path, status }))).toEqual([
      { reqId: fresh.headers["x-request-id"], method: "GET", path: "/rooms", status: 200 },
      { reqId: "trace-7", method: "GET", path: "/rooms", status: 200 },
      { reqId: "a".repeat(100), method: "GET", path: "/rooms", status: 200 },
    ]);
  });

  it("does not log static assets", async () => {
    const s = await serve(ok);
    await s.send("GET", "/_next/static/chunks/app.js");
    await s.send("GET", "/login");
    expect((await s.requestLines()).map((l) => l.path)).toEqual(["/login"]);
  });

  it("answers the ops routes itself, before the app", async () => {
    const s = await serve(ok, true);
    const ready = await s.send("GET", "/api/ready");
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ status: "draining" });
    const metrics = await s.send("GET", "/api/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain("# TYPE");
    expect(s.reached).toEqual([]);
    expect((await s.requestLines()).map((l) => [l.path, l.status])).toEqual([
      ["/api/ready", 503],
      ["/api/metrics", 200],
    ]);
  });

  it("refuses a cross-site change with an id, before the app", async () => {
    const s = await serve(ok);
    const res = await s.send("POST", "/api/rooms", { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers["x-request-id"]).toMatch(UUID);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: "forbidden", message: "Cross-site request refused" },
    });
    expect(s.reached).toEqual([]);
  });

  it("answers a JSON 500 and logs the request id when the app's handler fails", async () => {
    const s = await serve(async () => {
      throw new Error("boom");
    });
    const res = await s.send("GET", "/rooms");
    expect(s.reached).toEqual(["GET /rooms"]);
    expect(res.status).toBe(500);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(res.body)).toEqual({
      error: { code: "internal", message: "Something went wrong on our side." },
    });
    const failed = s.lines.find((l) => l.msg === "request failed");
    expect(failed?.reqId).toBe(res.headers["x-request-id"]);
  });
});

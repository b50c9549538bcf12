// The guard server.ts runs on every HTTP request, on a real node:http server with raw requests
// (node:http sends the path as written; fetch would normalize it): cross-site state changes are
// refused whatever the path, HSTS only over https, and the X-Forwarded-For warning is logged once.
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createRequestGuard, type GuardConfig, HSTS } from "@/lib/http/pipeline";
import { rawServer } from "./helpers/raw-http";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** A server with the guard in front of a handler that records what got through. */
async function serve(config: Partial<GuardConfig>) {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const guard = createRequestGuard(
    { TRUST_PROXY: false, ALLOWED_ORIGINS: [], ...config },
    pino({ level: "info" }, sink),
  );
  const reached: string[] = [];
  const server = await rawServer((req, res) => {
    if (!guard(req, res)) return;
    reached.push(`${req.method} ${req.url} from ${req.headers["x-beacon-client-ip"]}`);
    res.end("ok");
  });
  closers.push(server.close);
  const { port } = server;
  const send = (method: string, path: string, headers: Record<string, string> = {}) =>
    server.send(method, path, headers, method === "POST" ? JSON.stringify({ name: "evil" }) : undefined);
  return { send, reached, lines, port };
}

describe("cross-site state changes are refused whatever the path", () => {
  const paths = [
    "/api/rooms",
    "/./api/rooms",
    "//api/rooms",
    "/api/../api/rooms",
    "/%2e/api/rooms",
    "/api/%2e%2e/api/rooms",
    "/api/%2E%2E/api/rooms",
    "/x/..%2fapi/rooms",
    "/API/rooms",
    "/signin",
    "/api/auth/signout",
  ];

  it.each(paths)("POST %s with a foreign Origin: 403 JSON, never reaches the app", async (path) => {
    const s = await serve({});
    const res = await s.send("POST", path, {
      origin: "https://evil.example",
      "content-type": "application/json",
    });
    expect(res.status).toBe(403);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(res.body)).toEqual({
      error: { code: "forbidden", message: "Cross-site request refused" },
    });
    expect(s.reached).toEqual([]);
  });

  it("every state-changing method is checked; safe methods, same-origin and Origin-less requests pass", async () => {
    const s = await serve({ ALLOWED_ORIGINS: ["https://app.example"] });
    const evil = { origin: "https://evil.example" };
    for (const m of ["PUT", "PATCH", "DELETE"])
      expect((await s.send(m, "/./api/rooms/x", evil)).status).toBe(403);
    expect((await s.send("POST", "/./api/rooms", { origin: "null" })).status).toBe(403);
    expect((await s.send("GET", "/./api/rooms", evil)).status).toBe(200);
    expect((await s.send("OPTIONS", "/api/rooms", evil)).status).toBe(200);
    expect((await s.send("POST", "/api/rooms", { origin: `http://127.0.0.1:${s.port}` })).status).toBe(200);
    expect((await s.send("POST", "/api/rooms", { origin: "https://app.example" })).status).toBe(200);
    expect((await s.send("POST", "/api/rooms")).status).toBe(200);
    expect(s.reached).toHaveLength(5);
  });
});

describe("Strict-Transport-Security", () => {
  it("behind a trusted proxy: only when it says the request came over https", async () => {
    const s = await serve({ TRUST_PROXY: true });
    expect(
      (await s.send("GET", "/", { "x-forwarded-proto": "https" })).headers["strict-transport-security"],
    ).toBe(HSTS);
    expect(
      (await s.send("GET", "/", { "x-forwarded-proto": "http" })).headers["strict-transport-security"],
    ).toBe(undefined);
    expect((await s.send("GET", "/")).headers["strict-transport-security"]).toBeUndefined();
  });

  it("without TRUST_PROXY a client's X-Forwarded-Proto is not believed", async () => {
    const s = await serve({});
    expect(
      (await s.send("GET", "/", { "x-forwarded-proto": "https" })).headers["strict-transport-security"],
    ).toBeUndefined();
  });

  it("with an https NEXTAUTH_URL, on every response (refusals included)", async () => {
    const s = await serve({ NEXTAUTH_URL: "https://chat.example.com" });
    expect((await s.send("GET", "/")).headers["strict-transport-security"]).toBe(HSTS);
    const refused = await s.send("POST", "/api/rooms", { origin: "https://evil.example" });
    expect(refused.status).toBe(403);
    expect(refused.headers["strict-transport-security"]).toBe(HSTS);
  });
});

describe("X-Forwarded-For without TRUST_PROXY", () => {
  const warning = /X-Forwarded-For but TRUST_PROXY is off/;

  it("is warned about once, on the first such request; the address stays the TCP peer", async () => {
    const s = await serve({});
    await s.send("GET", "/");
    expect(s.lines.filter((l) => warning.test(l.msg))).toHaveLength(0);
    await s.send("GET", "/", { "x-forwarded-for": "203.0.113.9" });
    await s.send("GET", "/", { "x-forwarded-for": "203.0.113.10" });
    const warned = s.lines.filter((l) => warning.test(l.msg));
    expect(warned).toHaveLength(1);
    expect(warned[0]?.level).toBe(40); // pino's warn
    expect(s.reached.at(-1)).toBe("GET / from 127.0.0.1");
  });

  it("is not warned about with TRUST_PROXY, where the proxy's entry is the client address", async () => {
    const s = await serve({ TRUST_PROXY: true });
    await s.send("GET", "/", { "x-forwarded-for": "10.0.0.1, 203.0.113.9" });
    expect(s.lines.filter((l) => warning.test(l.msg))).toHaveLength(0);
    expect(s.reached).toEqual(["GET / from 203.0.113.9"]);
  });
});

// Request bodies are capped in bytes while they stream in: an oversized body is refused from its
// Content-Length or cancelled at the limit, never read into memory in full.
import { describe, expect, it } from "vitest";
import { errorResponse, readJson, readText } from "@/lib/http";

const LIMIT = 64 * 1024;

/** A streamed body of `chunks` chunks of `size` bytes each; counts how many chunks were pulled. */
function streamedRequest(chunks: number, size: number, headers: Record<string, string> = {}) {
  const pulled = { count: 0 };
  const chunk = new TextEncoder().encode("a".repeat(size));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.count >= chunks) return controller.close();
      pulled.count++;
      controller.enqueue(chunk);
    },
  });
  const req = new Request("http://localhost/api/users", {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);
  return { req, pulled };
}

async function status(p: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const res = errorResponse(await p.then(() => new Error("resolved")).catch((e: unknown) => e));
  return { status: res.status, body: await res.json() };
}

describe("readJson body limits", () => {
  it("stops reading a streamed body once it passes the byte limit", async () => {
    // 100 MiB offered in 64 KiB chunks; only what fits the limit plus one chunk is ever pulled.
    const { req, pulled } = streamedRequest(1600, 64 * 1024);
    const r = await status(readJson(req));
    expect(r.status).toBe(413);
    expect(r.body).toEqual({
      error: { code: "payload_too_large", message: `Request body is too large (at most ${LIMIT} bytes)` },
    });
    expect(pulled.count).toBeLessThanOrEqual(3);
  });

  it("refuses a declared Content-Length over the limit without reading the body", async () => {
    const { req, pulled } = streamedRequest(1600, 64 * 1024, { "content-length": String(100 * 1024 * 1024) });
    expect(req.headers.get("content-length")).toBe(String(100 * 1024 * 1024));
    expect((await status(readJson(req))).status).toBe(413);
    expect(pulled.count).toBeLessThanOrEqual(1); // the stream may prefetch one chunk, never more
  });

  it("counts bytes, not characters", async () => {
    // "é" is 2 bytes in UTF-8: this body is under the limit in characters and just over it in bytes.
    const overhead = '{"displayName":""}'.length; // 18 bytes, ASCII
    const k = (LIMIT - overhead) / 2;
    const exact = JSON.stringify({ displayName: "é".repeat(k) });
    const over = JSON.stringify({ displayName: `${"é".repeat(k)}a` });
    expect(new TextEncoder().encode(exact).byteLength).toBe(LIMIT);
    expect(new TextEncoder().encode(over).byteLength).toBe(LIMIT + 1);
    expect(over.length).toBeLessThan(LIMIT / 2 + 100); // the old character count let this through
    const r = await status(readJson(new Request("http://localhost/x", { method: "POST", body: over })));
    expect(r.status).toBe(413);
    const parsed = (await readJson(new Request("http://localhost/x", { method: "POST", body: exact }))) as {
      displayName: string;
    };
    expect(parsed.displayName).toBe("é".repeat(k));
  });

  it("keeps multi-byte characters split across chunks intact", async () => {
    const bytes = new TextEncoder().encode('{"text":"héllo 👋"}');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    const req = new Request("http://localhost/x", { method: "POST", body, duplex: "half" } as RequestInit);
    expect(await readJson(req)).toEqual({ text: "héllo 👋" });
  });

  it("answers 400 for bytes that are not UTF-8 and for malformed JSON; {} for an empty body", async () => {
    const bad = new Request("http://localhost/x", {
      method: "POST",
      body: new Uint8Array([0x7b, 0xff, 0x7d]),
    });
    expect(await status(readJson(bad))).toEqual({
      status: 400,
      body: { error: { code: "bad_request", message: "Request body must be UTF-8 text" } },
    });
    const malformed = new Request("http://localhost/x", { method: "POST", body: "{nope" });
    expect((await status(readJson(malformed))).status).toBe(400);
    expect(await readJson(new Request("http://localhost/x", { method: "POST" }))).toEqual({});
    expect(await readText(new Request("http://localhost/x", { method: "POST", body: "  " }))).toBe("  ");
  });
});

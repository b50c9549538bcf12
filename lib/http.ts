// Route-handler adapter: run the service call, map AppError to {error:{code,message}} with its status.
import { AppError, errorBody, toAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";

const log = logger.child({ module: "http" });

export function json(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: { "cache-control": "no-store" } });
}

export function errorResponse(err: unknown): Response {
  const e = toAppError(err);
  if (e.code === "internal") log.error({ err }, "request failed");
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (e.extra.retryAfterMs) headers["retry-after"] = String(Math.ceil(e.extra.retryAfterMs / 1000));
  return Response.json(errorBody(e), { status: e.status, headers });
}

/** Wrap a route handler body: its return value is sent as JSON, anything thrown as an error body. */
export async function handle(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    return errorResponse(err);
  }
}

const tooLarge = (maxBytes: number) =>
  new AppError("payload_too_large", `Request body is too large (at most ${maxBytes} bytes)`);

/**
 * A request body as text, read at most `maxBytes` bytes (not characters) into memory: a declared
 * Content-Length over the limit is refused before reading anything, and a body that streams past the
 * limit is cancelled there, so an oversized upload (even unauthenticated) is never held in full.
 */
export async function readText(req: Request, maxBytes = 64 * 1024): Promise<string> {
  const declared = req.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes)
    throw tooLarge(maxBytes);
  if (!req.body) return "";
  const reader = req.body.getReader();
  // fatal: bytes that are not UTF-8 are a 400, not silently replaced characters.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const decode = (chunk?: Uint8Array): string => {
    try {
      return decoder.decode(chunk, { stream: chunk !== undefined });
    } catch {
      throw new AppError("bad_request", "Request body must be UTF-8 text");
    }
  };
  let bytes = 0;
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      text += decode(value);
    }
    return text + decode();
  } finally {
    reader.releaseLock();
  }
}

/** Parse a JSON request body; a malformed or non-object body is a 400, not a crash. */
export async function readJson(req: Request, maxBytes = 64 * 1024): Promise<unknown> {
  const text = await readText(req, maxBytes);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body must be valid JSON");
  }
}

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

/** The methods a route file can answer; Next auto-implements HEAD (from GET) and OPTIONS. */
export const API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type ApiMethod = (typeof API_METHODS)[number];
type Handler = (req: Request) => Response;

function allowHeader(allowed: readonly ApiMethod[]): string {
  return [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
}

/**
 * For a route file: JSON 405 handlers (with an Allow header) for every method it does not implement,
 * and an OPTIONS that names only the ones it does. Without them Next answers a wrong method with an
 * empty 405 and its own OPTIONS would list the 405 handlers as allowed. Every route file ends with
 *   export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
 * (tests/api-methods.test.ts checks that every route exports every method).
 */
export function otherMethods<const A extends readonly ApiMethod[]>(
  ...allowed: A
): Record<Exclude<ApiMethod, A[number]> | "OPTIONS", Handler> {
  const allow = allowHeader(allowed);
  const notAllowed: Handler = (req) =>
    Response.json(
      errorBody(
        new AppError(
          "method_not_allowed",
          `${req.method} is not supported here; use ${allowed.join(" or ")}`,
        ),
      ),
      { status: 405, headers: { allow, "cache-control": "no-store" } },
    );
  const out: Record<string, Handler> = {};
  out.OPTIONS = () => new Response(null, { status: 204, headers: { allow } });
  for (const m of API_METHODS) if (!allowed.includes(m)) out[m] = notAllowed;
  return out as Record<Exclude<ApiMethod, A[number]> | "OPTIONS", Handler>;
}

/** Every method of an unknown /api path: a JSON 404 instead of the HTML not-found page. */
export function apiNotFound(): Response {
  return errorResponse(new AppError("not_found", "There is no API endpoint at this address"));
}

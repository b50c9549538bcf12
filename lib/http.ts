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

/** Parse a JSON request body; a malformed or non-object body is a 400, not a crash. */
export async function readJson(req: Request, maxBytes = 64 * 1024): Promise<unknown> {
  const text = await req.text();
  if (text.length > maxBytes) throw new AppError("payload_too_large", "Request body is too large");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body must be valid JSON");
  }
}

// One error type for the whole app: services throw AppError(code); transports map it to HTTP or an ack.
import { z } from "zod";

export type ErrorCode =
  | "bad_request"
  | "validation"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "rate_limited"
  | "payload_too_large"
  | "unavailable"
  | "internal";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/**
 * The `digest` of an error that means "cannot reach the database right now". In production Next hands
 * an error boundary only the digest of a server component's error (the message is replaced), and it
 * keeps a digest the error already has: this is how app/error.tsx tells an outage from a bug.
 */
export const UNAVAILABLE_DIGEST = "BEACON_UNAVAILABLE";

export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  fields?: FieldErrors;
  retryAfterMs?: number;
}

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly extra: { fields?: FieldErrors; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return STATUS[this.code];
  }

  toJSON(): ErrorBody {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

/** Field errors keyed by dotted path ("" for form-level), from a zod error. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".");
    const list = out[key] ?? [];
    list.push(issue.message);
    out[key] = list;
  }
  return out;
}

/** Parse with zod or throw a validation AppError whose message names the first problem. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join(".")}: ` : "";
  throw new AppError("validation", `${where}${first?.message ?? "Invalid input"}`, {
    fields: fieldErrors(result.error),
  });
}

/** Turn anything thrown into a safe AppError; unknown errors are logged by the caller, never echoed. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // The same class loaded by server.ts (tsx) and by the Next bundle are two classes: match by shape.
  if (
    err instanceof Error &&
    err.name === "AppError" &&
    typeof (err as AppError).code === "string" &&
    (err as AppError).code in STATUS
  ) {
    const e = err as AppError;
    return new AppError(e.code, e.message, e.extra ?? {});
  }
  if (err instanceof z.ZodError) {
    return new AppError("validation", err.issues[0]?.message ?? "Invalid input", {
      fields: fieldErrors(err),
    });
  }
  return new AppError("internal", "Something went wrong on our side. Please try again.");
}

export function errorBody(err: AppError): { error: ErrorBody } {
  return { error: err.toJSON() };
}

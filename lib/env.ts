// Environment, validated once per process with zod; every setting Beacon reads is declared here.
import path from "node:path";
import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const boolish = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => v === "true" || v === "1" || v === "yes");

function commaList(s: string): string[] {
  return s
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** External PostgreSQL; when unset Beacon starts its embedded PostgreSQL under DATA_DIR. */
  DATABASE_URL: optionalString.pipe(
    z.url({ protocol: /^postgres(ql)?$/, message: "must be a postgres:// URL" }).optional(),
  ),
  /** Connections in this process's pool (lib/db/client.ts). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  DATA_DIR: z.string().min(1).default("./data"),
  /** Fixed port for the embedded PostgreSQL; by default a free port is picked at each start. */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Signs session JWTs; generated and kept in DATA_DIR when unset. */
  NEXTAUTH_SECRET: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  NEXTAUTH_URL: optionalString.pipe(z.url().optional()),
  /** Unset: `info`, or `warn` under NODE_ENV=test (see logLevel()). */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  GITHUB_ID: optionalString,
  GITHUB_SECRET: optionalString,
  GOOGLE_ID: optionalString,
  GOOGLE_SECRET: optionalString,
  OIDC_ISSUER: optionalString.pipe(z.url().optional()),
  OIDC_ID: optionalString,
  OIDC_SECRET: optionalString,
  OIDC_NAME: z.string().default("SSO"),
  /** `off`: SSO-only; no password form, no sign-up, the credentials provider is not registered. */
  AUTH_PASSWORD: z.enum(["on", "off"]).default("on"),
  /** Comma list: an OIDC sign-in must carry one of these groups (or an admin group); empty: anyone. */
  OIDC_ALLOWED_GROUPS: z.string().default("").transform(commaList),
  /** Comma list: members get the admin role on each OIDC sign-in, and lose it when they leave. */
  OIDC_ADMIN_GROUPS: z.string().default("").transform(commaList),
  /** The claim that lists the user's groups (a dotted path such as `realm_access.roles` works too). */
  OIDC_GROUPS_CLAIM: z.string().trim().min(1).default("groups"),
  /** Redis for multi-node realtime (Socket.IO adapter, presence, throttles); unset: one process. */
  REDIS_URL: optionalString.pipe(
    z.url({ protocol: /^rediss?$/, message: "must be a redis:// or rediss:// URL" }).optional(),
  ),
  /** Prefix of every Redis key and channel Beacon uses (several deployments can share a Redis). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, _ . - only")
    .default("beacon"),
  /** Bearer token for /api/metrics; when unset only direct loopback requests may read metrics. */
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  /** Seconds a session lasts (read by lib/auth/options.ts). */
  SESSION_MAX_AGE: z.coerce
    .number()
    .int()
    .min(1)
    .default(30 * 24 * 60 * 60),
  /** Multiplies every rate-limit budget (1 = the documented limits). */
  RATE_LIMIT_SCALE: z.coerce.number().min(1).max(100_000).default(1),
  /** Behind a reverse proxy: the client address is the last X-Forwarded-For entry (appended by the proxy). */
  TRUST_PROXY: boolish,
  /** Comma-separated origins allowed to open sockets and send state-changing requests (default: same origin). */
  ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((o) => o.trim().replace(/\/$/, ""))
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ message: "each origin must be a URL like https://chat.example.com" }))),
  /** Most sockets (tabs, devices) one user may have open; a new one over it closes their oldest. */
  MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Milliseconds a shutdown may take before sockets are cut. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(8000),
  /** Largest file one upload may carry, in MiB; also the ceiling for the workspace setting. */
  MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(100_000).default(25),
  /** S3-compatible storage for files and avatars; when S3_BUCKET is unset files go to DATA_DIR/files. */
  S3_ENDPOINT: optionalString.pipe(
    z.url({ message: "must be a URL like https://s3.example.com" }).optional(),
  ),
  S3_BUCKET: optionalString,
  S3_REGION: z.string().trim().min(1).default("us-east-1"),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  /** Path-style URLs (endpoint/bucket/key), which MinIO and most self-hosted S3 servers need. */
  S3_FORCE_PATH_STYLE: boolish,
  /** Several nodes with local storage: DATA_DIR/files is a mount they all share (silences the boot warning). */
  FILES_SHARED: boolish,
  /**
   * Hosts outgoing webhooks and slash commands may reach although they resolve to a private,
   * loopback or link-local address (comma-separated `host` or `host:port`; lib/webhooks/safe-fetch.ts).
   */
  WEBHOOK_ALLOW_HOSTS: optionalString,
  /**
   * Outgoing webhooks: the first retry delay (ms). Later retries are 3, 6, 30, 60, 180 and then 360
   * times it (10 s, 30 s, 1 min, 5 min, 10 min, 30 min, then hourly at the default), and a delivery
   * is given up 8,640 times it after the event (24 h at the default). Tests shrink it.
   */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(10_000),
  /** How often each node looks for due webhook deliveries (ms). */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  CI: boolish,
});

type RawEnv = Record<string, string | undefined>;

const PAIRS = [
  ["GITHUB_ID", "GITHUB_SECRET"],
  ["GOOGLE_ID", "GOOGLE_SECRET"],
  ["OIDC_ID", "OIDC_SECRET"],
] as const;

/**
 * The variables that are set to something: `NEXTAUTH_URL=` (as .env and compose files often write
 * it) or a value of only spaces means "unset" for every variable, so it gets its default instead of
 * failing later (an empty NEXTAUTH_URL made every sign-in a 500 "Invalid URL").
 */
export function withoutBlanks(source: RawEnv): RawEnv {
  return Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ""));
}

/**
 * Deletes blank variables from process.env itself, for the libraries that read it directly
 * (next-auth reads NEXTAUTH_URL there on every request). server.ts calls it at boot, and again after
 * Next has loaded its .env files, which can put a blank value back.
 */
export function clearBlankEnv(target: RawEnv = process.env): void {
  for (const [k, v] of Object.entries(target)) if (v !== undefined && v.trim() === "") delete target[k];
}

/** Cross-variable rules, checked on the set values so they are reported alongside type errors. */
function crossIssues(source: RawEnv): string[] {
  const set = (k: string) => source[k] !== undefined;
  const out: string[] = [];
  for (const [id, secret] of PAIRS) {
    if (set(id) !== set(secret))
      out.push(`${set(id) ? secret : id}: ${id} and ${secret} must be set together`);
  }
  if (set("OIDC_ID") && !set("OIDC_ISSUER")) out.push("OIDC_ISSUER: required when OIDC_ID is set");
  if (source.AUTH_PASSWORD === "off" && !PAIRS.some(([id]) => set(id)))
    out.push(
      "AUTH_PASSWORD: off (SSO-only) needs a provider: set OIDC_ISSUER/OIDC_ID/OIDC_SECRET, GitHub or Google",
    );
  if (set("S3_ACCESS_KEY_ID") !== set("S3_SECRET_ACCESS_KEY"))
    out.push("S3_SECRET_ACCESS_KEY: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together");
  for (const k of ["S3_ENDPOINT", "S3_ACCESS_KEY_ID"])
    if (set(k) && !set("S3_BUCKET")) out.push(`S3_BUCKET: required when ${k} is set`);
  return out;
}

export type Env = z.infer<typeof envSchema>;

/** Thrown with one line per invalid variable, so a misconfigured boot says exactly what to fix. */
export class EnvError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid environment:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(raw: RawEnv = process.env): Env {
  const source = withoutBlanks(raw);
  const result = envSchema.safeParse(source);
  const issues = [
    ...(result.success ? [] : result.error.issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`)),
    ...crossIssues(source),
  ];
  if (issues.length > 0 || !result.success) throw new EnvError(issues);
  return result.data;
}

let cached: Env | undefined;

/** The validated environment of this process (read once). */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Re-read the environment (after the server fills in DATABASE_URL / NEXTAUTH_SECRET at boot). */
export function reloadEnv(): Env {
  cached = parseEnv();
  return cached;
}

type LogLevel = NonNullable<Env["LOG_LEVEL"]>;

/**
 * LOG_LEVEL for lib/logger.ts, which is created on import, before the environment is validated: an
 * invalid value falls back to the default here (pino would throw on import) and is then reported
 * by env() at boot like any other bad variable.
 */
export function logLevel(raw: RawEnv = process.env): LogLevel {
  const source = withoutBlanks(raw);
  const level = envSchema.shape.LOG_LEVEL.safeParse(source.LOG_LEVEL);
  if (level.success && level.data) return level.data;
  return source.NODE_ENV === "test" ? "warn" : "info";
}

/** Absolute DATA_DIR. */
export function dataDir(): string {
  return path.resolve(env().DATA_DIR);
}

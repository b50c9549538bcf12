// The OpenAPI 3.1 document of the REST API v1, generated from the operation table
// (lib/http/v1/registry.ts) and its zod schemas with zod 4's JSON Schema output (OpenAPI 3.1's schema
// dialect is JSON Schema 2020-12). Nothing here is written by hand but the prose: a route or schema
// change shows up in the document by construction. Served at /api/v1/openapi.json, read by /api/docs.
import { z } from "zod";
import { LIMITS } from "@/lib/ratelimit/limits";
import { limitKey, OPERATIONS, type Operation, TAGS, V1_PREFIX } from "./registry";
import { errorSchema, wireRegistry } from "./wire";

type Json = Record<string, unknown>;

const ERROR_RESPONSES: Record<number, { name: string; description: string; code: string; message: string }> =
  {
    400: {
      name: "BadRequest",
      description: "The request is malformed or a field is invalid (code validation, with fields)",
      code: "validation",
      message: "clientId: clientId must be a UUID",
    },
    401: {
      name: "Unauthorized",
      description: "No valid session or token",
      code: "unauthorized",
      message: "This token is not valid (unknown, expired or revoked)",
    },
    403: {
      name: "Forbidden",
      description: "Signed in, but not allowed (or the token lacks the scope)",
      code: "forbidden",
      message: "This token does not have the write scope",
    },
    404: {
      name: "NotFound",
      description: "It does not exist, or you may not see it (a private room you are not in)",
      code: "not_found",
      message: "That room does not exist",
    },
    409: {
      name: "Conflict",
      description: "The request conflicts with the current state",
      code: "conflict",
      message: "This clientId was already used for a message in another room",
    },
    413: {
      name: "PayloadTooLarge",
      description: "Over the size limit or the storage quota",
      code: "payload_too_large",
      message: "report.pdf is too large (max 25 MB)",
    },
    429: {
      name: "RateLimited",
      description: "Over this operation's rate limit: wait Retry-After seconds",
      code: "rate_limited",
      message: "You're doing that too often — try again in 3 s",
    },
  };
const COMMON_ERRORS = [400, 401, 403, 404, 429];

/** The JSON Schema of a zod schema; schemas with a wire id become $refs into `components`. */
function jsonSchema(schema: z.ZodType, io: "input" | "output", components: Record<string, Json>): Json {
  const out = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    metadata: wireRegistry,
    unrepresentable: "any",
    // Descriptions set with .describe() live in zod's global registry.
    override: (ctx) => {
      const d = z.globalRegistry.get(ctx.zodSchema)?.description;
      if (d && ctx.jsonSchema.description === undefined) ctx.jsonSchema.description = d;
    },
  }) as Json;
  const { $schema: _dialect, $defs, ...rest } = out;
  for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, Json>)) {
    const fixed = relink(def) as Json;
    const had = components[id];
    if (had && JSON.stringify(had) !== JSON.stringify(fixed))
      throw new Error(`OpenAPI: two different schemas are named ${id}`);
    components[id] = fixed;
  }
  return relink(rest) as Json;
}

/** Point zod's local `#/$defs/X` references at the document's components. */
function relink(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(relink);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        k === "$ref" && typeof x === "string"
          ? x.replace(/^#\/\$defs\//, "#/components/schemas/")
          : relink(x),
      ]),
    );
  }
  return v;
}

const scopeOf = (o: Operation) => (o.method === "GET" ? "read" : "write");

function rateText(o: Operation): string {
  const row = LIMITS[limitKey(o)] as { points: number; duration: number } | undefined;
  if (!row) throw new Error(`OpenAPI: ${limitKey(o)} has no row in LIMITS`);
  const per = row.duration === 60 ? "minute" : row.duration === 3600 ? "hour" : `${row.duration} s`;
  return `${row.points} per ${per}`;
}

function operationObject(o: Operation, components: Record<string, Json>): Json {
  const parameters: Json[] = [];
  for (const [name, p] of Object.entries(o.params ?? {}) as [
    string,
    NonNullable<Operation["params"]>[string],
  ][]) {
    parameters.push({
      name,
      in: "path",
      required: true,
      description: p.description,
      schema: jsonSchema(p.schema, "input", components),
      ...(p.example ? { example: p.example } : {}),
    });
  }
  if (o.query) {
    for (const [name, field] of Object.entries(o.query.shape) as [string, z.ZodType][]) {
      const schema = jsonSchema(field, "input", components);
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: "query",
        required: !field.safeParse(undefined).success,
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  const out: Json = {
    operationId: o.operationId,
    tags: [o.tag],
    summary: o.summary,
    description: [o.description, `Token scope: \`${scopeOf(o)}\`. Rate limit: ${rateText(o)}.`]
      .filter(Boolean)
      .join("\n\n"),
    ...(parameters.length ? { parameters } : {}),
  };
  if (o.body) {
    out.requestBody = {
      required: true,
      content: {
        "application/json": {
          schema: jsonSchema(o.body, "input", components),
          ...(o.example !== undefined ? { example: o.example } : {}),
        },
      },
    };
  } else if (o.multipart) {
    const schema = jsonSchema(o.multipart.schema, "input", components);
    const props = schema.properties as Record<string, Json>;
    for (const f of o.multipart.binaryFields)
      props[f] = { ...props[f], contentMediaType: "application/octet-stream" };
    out.requestBody = { required: true, content: { "multipart/form-data": { schema } } };
  }
  const responses: Json = {};
  for (const [status, r] of Object.entries(o.responses)) {
    responses[status] = {
      description: r.description,
      content: r.schema
        ? { "application/json": { schema: jsonSchema(r.schema, "output", components) } }
        : {
            [r.binary ?? "application/octet-stream"]: {
              schema: { type: "string", contentMediaType: r.binary },
            },
          },
    };
  }
  for (const status of [...COMMON_ERRORS, ...(o.moreErrors ?? [])].sort((a, b) => a - b))
    responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status]?.name}` };
  out.responses = responses;
  return out;
}

/** The document (built once per process: it depends on code only). */
export function openApiDocument(): Json {
  cached ??= build();
  return cached;
}
let cached: Json | undefined;

function build(): Json {
  const schemas: Record<string, Json> = {};
  const paths: Record<string, Json> = {};
  for (const o of OPERATIONS) {
    paths[o.path] = { ...paths[o.path], [o.method.toLowerCase()]: operationObject(o, schemas) };
  }
  const errorRef = jsonSchema(errorSchema, "output", schemas);
  const responses: Json = {};
  for (const e of Object.values(ERROR_RESPONSES)) {
    responses[e.name] = {
      description: e.description,
      ...(e.code === "rate_limited"
        ? { headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } } } }
        : {}),
      content: {
        "application/json": { schema: errorRef, example: { error: { code: e.code, message: e.message } } },
      },
    };
  }
  return {
    openapi: "3.1.1",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Beacon REST API",
      version: "1.0.0",
      summary: "Rooms, messages, files and people of a Beacon workspace",
      description:
        'Authenticate with a personal access token (`Authorization: Bearer bcn_…`, made in Settings) or a signed-in browser session. A token\'s `read` scope allows GET, `write` everything else. Every error is `{"error":{"code","message"}}` with the status of its code. Messages sent here reach everyone in the room live, like the app\'s own. A readable reference is at /api/docs.',
    },
    servers: [{ url: V1_PREFIX, description: "This Beacon server" }],
    security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    tags: TAGS,
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
      responses,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "bcn_…",
          description: "A personal access token (Settings → API tokens)",
        },
        cookieAuth: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description:
            "The browser's session cookie (named __Secure-next-auth.session-token over HTTPS); same-origin requests only",
        },
      },
    },
  };
}

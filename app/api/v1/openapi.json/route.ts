// GET /api/v1/openapi.json: the REST API v1's OpenAPI 3.1 document, generated from the operation table
// (lib/http/v1/openapi.ts). Public: it describes the API and holds nothing about the workspace.
import { handle, otherMethods } from "@/lib/http";
import { openApiDocument } from "@/lib/http/v1/openapi";

export function GET(): Promise<Response> {
  return handle(async () =>
    Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }),
  );
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

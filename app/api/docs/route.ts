// GET /api/docs: the REST API v1 reference, a server-rendered page made from the generated OpenAPI
// document (lib/http/v1/docs-page.ts). No script at all, so its CSP allows none; public like the document.
import { handle, otherMethods } from "@/lib/http";
import { renderDocsPage } from "@/lib/http/v1/docs-page";
import { openApiDocument } from "@/lib/http/v1/openapi";

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const html = renderDocsPage(openApiDocument(), new URL(req.url).origin);
    return new Response(html, {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
        "cache-control": "public, max-age=300",
      },
    });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

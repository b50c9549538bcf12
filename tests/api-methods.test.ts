// Wrong methods and unknown API paths answer JSON like every other API error: the otherMethods
// helper, the catch-all 404, and a check that every route file exports every method (a route that
// forgot would fall back to Next's empty 405).
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { API_METHODS, apiNotFound, otherMethods } from "@/lib/http";

const req = (method: string) => new Request("http://localhost/api/x", { method });

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(p);
    return e.name === "route.ts" ? [p] : [];
  });
}

describe("otherMethods", () => {
  it("answers the methods a route does not implement with a JSON 405 and an Allow header", async () => {
    const h = otherMethods("GET", "POST");
    expect(Object.keys(h).sort()).toEqual(["DELETE", "OPTIONS", "PATCH", "PUT"]);
    const res = h.DELETE(req("DELETE"));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({
      error: { code: "method_not_allowed", message: "DELETE is not supported here; use GET or POST" },
    });
  });

  it("lists only the implemented methods in OPTIONS; no HEAD without GET", async () => {
    const h = otherMethods("POST");
    const res = h.OPTIONS(req("OPTIONS"));
    expect(res.status).toBe(204);
    expect(res.headers.get("allow")).toBe("POST, OPTIONS");
    const get = h.GET(req("GET"));
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST, OPTIONS");
  });
});

describe("unknown API paths", () => {
  it("answer a JSON 404", async () => {
    const res = apiNotFound();
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: "not_found", message: "There is no API endpoint at this address" },
    });
  });
});

describe("every API route file", () => {
  const files = routeFiles(path.resolve(import.meta.dirname, "../app/api"));

  it("is found", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [path.relative(process.cwd(), f), f]))(
    "%s exports every method and OPTIONS",
    async (_name, file) => {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const m of [...API_METHODS, "OPTIONS"]) expect(typeof mod[m], m).toBe("function");
    },
  );
});

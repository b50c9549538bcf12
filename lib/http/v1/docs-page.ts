// /api/docs: a readable reference of the REST API v1, rendered on the server from the generated
// OpenAPI document (no Swagger UI, no script, nothing from a CDN). Operations are grouped by tag, each
// with its parameters, request body, answers and a curl example; the schemas follow as tables.

type Json = Record<string, unknown>;

const esc = (s: unknown) =>
  String(s ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

/** `code` spans in the document's prose (backticks), the rest escaped. */
const prose = (s: unknown) =>
  esc(s)
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/`([^`]+)`/g, "<code>$1</code>")}</p>`)
    .join("");

const refName = (ref: string) => ref.replace(/^#\/components\/(schemas|responses)\//, "");

/** A JSON Schema as a short readable type: `string (uuid)`, `array of Message`, `integer or null`. */
function typeOf(s: Json | undefined): string {
  if (!s) return "any";
  if (typeof s.$ref === "string") {
    const n = refName(s.$ref);
    return `<a href="#schema-${esc(n)}">${esc(n)}</a>`;
  }
  if (Array.isArray(s.anyOf)) return (s.anyOf as Json[]).map(typeOf).join(" or ");
  if (Array.isArray(s.enum))
    return (s.enum as unknown[]).map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(" | ");
  if (s.const !== undefined) return `<code>${esc(JSON.stringify(s.const))}</code>`;
  if (s.type === "array") return `array of ${typeOf(s.items as Json)}`;
  if (s.type === "object" && s.properties) {
    const props = Object.entries(s.properties as Record<string, Json>);
    if (props.length > 3) return "object (below)";
    return `{ ${props.map(([k, v]) => `<code>${esc(k)}</code>: ${typeOf(v)}`).join(", ")} }`;
  }
  if (s.type === "object" && s.additionalProperties)
    return `map of ${typeOf(s.additionalProperties as Json)}`;
  if (s.type === "string" && s.contentMediaType) return "file (binary)";
  const fmt = typeof s.format === "string" ? ` (${esc(s.format)})` : "";
  return `${esc(Array.isArray(s.type) ? s.type.join(" or ") : (s.type ?? "any"))}${fmt}`;
}

/** Limits worth reading next to a field: lengths, ranges, defaults. */
function limitsOf(s: Json): string {
  const bits: string[] = [];
  const skipRange = s.minimum === -9007199254740991 && s.maximum === 9007199254740991;
  if (typeof s.minLength === "number") bits.push(`min ${s.minLength} chars`);
  if (typeof s.maxLength === "number") bits.push(`max ${s.maxLength} chars`);
  if (!skipRange && typeof s.minimum === "number") bits.push(`≥ ${s.minimum}`);
  if (!skipRange && typeof s.maximum === "number") bits.push(`≤ ${s.maximum}`);
  if (typeof s.maxItems === "number") bits.push(`at most ${s.maxItems} items`);
  if (s.default !== undefined) bits.push(`default ${esc(JSON.stringify(s.default))}`);
  return bits.join(", ");
}

function fieldsTable(schema: Json, caption: string): string {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  const rows = Object.entries(props)
    .map(([name, p]) => {
      const notes = [p.description ? esc(p.description) : "", limitsOf(p)].filter(Boolean).join(". ");
      return `<tr><th scope="row"><code>${esc(name)}</code></th><td>${typeOf(p)}</td><td>${required.has(name) ? "yes" : "no"}</td><td>${notes}</td></tr>`;
    })
    .join("");
  const nested = Object.entries(props)
    .filter(([, p]) => p.type === "object" && p.properties)
    .map(([name, p]) => fieldsTable(p, `${caption}: ${name}`))
    .join("");
  return `<table><caption>${esc(caption)}</caption><thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Notes</th></tr></thead><tbody>${rows}</tbody></table>${nested}`;
}

function schemaBlock(schema: Json | undefined, caption: string): string {
  if (!schema) return "";
  if (schema.type === "object" && schema.properties) return fieldsTable(schema, caption);
  return `<p>${esc(caption)}: ${typeOf(schema)}</p>`;
}

function curlFor(origin: string, method: string, path: string, op: Json): string {
  const params = (op.parameters ?? []) as Json[];
  let url = path;
  for (const p of params.filter((x) => x.in === "path"))
    url = url.replace(`{${p.name}}`, encodeURIComponent(String(p.example ?? `<${p.name}>`)));
  const query = params.filter((x) => x.in === "query" && x.name === "limit").map(() => "?limit=50");
  const lines = [
    `curl${method === "get" ? "" : ` -X ${method.toUpperCase()}`} '${origin}/api/v1${url}${query.join("")}'`,
  ];
  lines.push(`  -H "Authorization: Bearer $BEACON_TOKEN"`);
  const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
  const jsonBody = content["application/json"];
  if (jsonBody) {
    lines.push(`  -H 'content-type: application/json'`);
    lines.push(`  -d '${JSON.stringify(jsonBody.example ?? {})}'`);
  }
  if (content["multipart/form-data"]) {
    lines.push(`  -F roomId=<roomId>`);
    lines.push(`  -F file=@report.pdf`);
  }
  return lines.join(" \\\n");
}

const STYLE = `
:root{color-scheme:light dark;--fg:#18181b;--bg:#fff;--muted:#52525b;--line:#d4d4d8;--code:#f4f4f5;--link:#1d4ed8}
@media (prefers-color-scheme:dark){:root{--fg:#f4f4f5;--bg:#09090b;--muted:#a1a1aa;--line:#3f3f46;--code:#18181b;--link:#93c5fd}}
body{font:16px/1.55 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:0}
main{max-width:72rem;margin:0 auto;padding:1.5rem}
a{color:var(--link)} code,pre{font-family:ui-monospace,monospace;font-size:.9em}
code{background:var(--code);padding:.05rem .3rem;border-radius:.25rem}
pre{background:var(--code);padding:.75rem;border-radius:.4rem;overflow-x:auto}
pre code{padding:0;background:none}
h1{font-size:1.8rem} h2{margin-top:2.5rem;border-bottom:1px solid var(--line);padding-bottom:.3rem}
h3{margin-top:2rem;font-size:1.15rem} h4{margin:1rem 0 .4rem;font-size:1rem}
.method{display:inline-block;min-width:4.2rem;font-weight:700}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
caption{text-align:left;color:var(--muted);font-size:.9rem;padding:.2rem 0}
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--code)} nav ul{columns:2 18rem}
.muted{color:var(--muted)}
`;

/** The whole page, from the OpenAPI document; `origin` is used in the curl examples. */
export function renderDocsPage(doc: Json, origin: string): string {
  const info = doc.info as Json;
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const tags = (doc.tags ?? []) as { name: string; description?: string }[];
  const schemas = ((doc.components as Json).schemas ?? {}) as Record<string, Json>;
  const errorAnswers = ((doc.components as Json).responses ?? {}) as Record<string, Json>;
  const ops = Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

  const toc = tags
    .map(
      (t) =>
        `<li><a href="#tag-${esc(t.name)}">${esc(t.name)}</a><ul>${ops
          .filter((o) => (o.op.tags as string[])[0] === t.name)
          .map((o) => `<li><a href="#${esc(o.op.operationId)}">${esc(o.op.summary)}</a></li>`)
          .join("")}</ul></li>`,
    )
    .join("");

  const sections = tags
    .map((t) => {
      const body = ops
        .filter((o) => (o.op.tags as string[])[0] === t.name)
        .map(({ path, method, op }) => {
          const id = esc(op.operationId);
          const params = (op.parameters ?? []) as Json[];
          const paramTable = params.length
            ? `<h4>Parameters</h4><table><caption>Parameters of ${esc(op.summary)}</caption><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Notes</th></tr></thead><tbody>${params
                .map((p) => {
                  const s = (p.schema ?? {}) as Json;
                  const notes = [p.description ? esc(p.description) : "", limitsOf(s)]
                    .filter(Boolean)
                    .join(". ");
                  return `<tr><th scope="row"><code>${esc(p.name)}</code></th><td>${esc(p.in)}</td><td>${typeOf(s)}</td><td>${p.required ? "yes" : "no"}</td><td>${notes}</td></tr>`;
                })
                .join("")}</tbody></table>`
            : "";
          const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
          const requestBody = Object.entries(content)
            .map(
              ([type, c]) =>
                `<h4>Request body <span class="muted">(${esc(type)})</span></h4>${(c.schema as Json).description ? prose((c.schema as Json).description) : ""}${schemaBlock(c.schema as Json, `Body of ${String(op.summary)}`)}`,
            )
            .join("");
          const responses = Object.entries(op.responses as Record<string, Json>)
            .map(([status, r]) => {
              if (typeof r.$ref === "string") {
                const shared = errorAnswers[refName(r.$ref)];
                return `<tr><th scope="row">${esc(status)}</th><td>${esc(shared?.description ?? refName(r.$ref))}</td><td><a href="#schema-Error">Error</a></td></tr>`;
              }
              const [type, c] = Object.entries((r.content ?? {}) as Record<string, Json>)[0] ?? [];
              const shape = c ? (type === "application/json" ? typeOf(c.schema as Json) : esc(type)) : "";
              return `<tr><th scope="row">${esc(status)}</th><td>${esc(r.description)}</td><td>${shape}</td></tr>`;
            })
            .join("");
          const okBodies = Object.entries(op.responses as Record<string, Json>)
            .filter(([status, r]) => status.startsWith("2") && !r.$ref)
            .map(([status, r]) => {
              const c = ((r.content ?? {}) as Record<string, Json>)["application/json"];
              const schema = c?.schema as Json | undefined;
              // A short wrapper ({ message: Message }) is read in the table above; larger ones get their fields.
              if (!schema || Object.keys((schema.properties ?? {}) as Json).length <= 3) return "";
              return schemaBlock(schema, `${status} answer of ${String(op.summary)}`);
            })
            .join("");
          return `<section aria-labelledby="${id}">
<h3 id="${id}"><span class="method">${esc(method.toUpperCase())}</span> <code>/api/v1${esc(path)}</code> — ${esc(op.summary)}</h3>
${prose(op.description)}
${paramTable}${requestBody}
<h4>Answers</h4><table><caption>Answers of ${esc(op.summary)}</caption><thead><tr><th scope="col">Status</th><th scope="col">Meaning</th><th scope="col">Body</th></tr></thead><tbody>${responses}</tbody></table>
${okBodies}
<h4>Example</h4><pre tabindex="0"><code>${esc(curlFor(origin, method, path, op))}</code></pre>
</section>`;
        })
        .join("\n");
      return `<section aria-labelledby="tag-${esc(t.name)}"><h2 id="tag-${esc(t.name)}">${esc(t.name)}</h2>${t.description ? `<p>${esc(t.description)}</p>` : ""}${body}</section>`;
    })
    .join("\n");

  const schemaSection = Object.entries(schemas)
    .map(
      ([name, s]) =>
        `<section aria-labelledby="schema-${esc(name)}"><h3 id="schema-${esc(name)}">${esc(name)}</h3>${s.description ? `<p>${esc(s.description)}</p>` : ""}${schemaBlock(s, `Fields of ${name}`)}</section>`,
    )
    .join("\n");

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)} reference</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(info.title)} reference</h1>
<p class="muted">Version ${esc(info.version)} · OpenAPI ${esc(doc.openapi)} document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> · <a href="/">Back to Beacon</a></p>
${prose(info.description)}
<h2 id="authentication">Authentication</h2>
<p>Make a personal access token in Settings and send it as <code>Authorization: Bearer bcn_…</code>. A <code>read</code> token may call GET operations, a <code>write</code> token all of them. A signed-in browser session works too, for same-origin requests.</p>
<pre tabindex="0"><code>export BEACON_TOKEN=bcn_…
curl '${esc(origin)}/api/v1/users/me' -H "Authorization: Bearer $BEACON_TOKEN"</code></pre>
<h2 id="errors">Errors</h2>
<p>Every error has the same body, with the HTTP status of its code: <code>{"error":{"code":"not_found","message":"That room does not exist"}}</code>. Validation errors add <code>fields</code>, rate limits add <code>retryAfterMs</code> and a <code>Retry-After</code> header. A private room you are not in is a 404, exactly like a room that does not exist.</p>
<nav aria-label="Operations"><h2 id="contents">Contents</h2><ul>${toc}<li><a href="#schemas">Schemas</a></li></ul></nav>
${sections}
<section aria-labelledby="schemas"><h2 id="schemas">Schemas</h2>${schemaSection}</section>
</main></body></html>`;
}

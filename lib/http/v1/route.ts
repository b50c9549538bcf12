// A REST v1 route file's handlers, taken from the operation table (lib/http/v1/registry.ts):
//   export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = v1Route("/rooms/{roomId}/messages");
// Each declared method authenticates (session cookie or `Authorization: Bearer bcn_…`, with the scope
// its LIMITS row implies), spends that row's budget, parses the query and body with the documented
// schemas, runs the operation and answers JSON (errors as {error:{code,message}}). Every other method
// is a JSON 405 with Allow, and OPTIONS names the declared ones.
import { requireApiSessionOf } from "@/lib/auth/session";
import { type ApiMethod, handle, json, otherMethods } from "@/lib/http/route";
import { limitKey, operationsAt, prepareContext } from "./registry";

type RouteContext = { params?: Promise<Record<string, string | string[] | undefined>> };
type RouteHandler = (req: Request, ctx: RouteContext) => Response | Promise<Response>;

async function paramsOf(ctx: RouteContext | undefined): Promise<Record<string, string>> {
  const raw = (await ctx?.params) ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = Array.isArray(v) ? v.join("/") : (v ?? "");
  return out;
}

export function v1Route(path: string): Record<ApiMethod | "OPTIONS", RouteHandler> {
  const ops = operationsAt(path);
  if (ops.size === 0) throw new Error(`REST v1: no operation is declared at ${path}`);
  const out: Partial<Record<ApiMethod | "OPTIONS", RouteHandler>> = { ...otherMethods(...ops.keys()) };
  for (const [method, o] of ops) {
    const limit = limitKey(o);
    out[method] = (req, ctx) =>
      handle(async () => {
        const { user } = await requireApiSessionOf(req, limit);
        const answer = await o.run(await prepareContext(o, req, user, await paramsOf(ctx)));
        return "response" in answer ? answer.response : json(answer.body, answer.status);
      });
  }
  return out as Record<ApiMethod | "OPTIONS", RouteHandler>;
}

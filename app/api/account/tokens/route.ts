// GET /api/account/tokens → {tokens}: my live personal access tokens (never the tokens themselves).
// POST {name, scopes, expiresInDays?} → 201 {token}: a new one, the only time `token.token` is shown.
// A browser session only: an API token cannot list or mint tokens (lib/auth/session.ts, 403).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { createToken, listTokens } from "@/lib/tokens/tokens.service";

export function GET(): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/account/tokens");
    return json({ tokens: await listTokens(user.id) });
  });
}

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/account/tokens");
    return json({ token: await createToken(user, await readJson(req)) }, 201);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");

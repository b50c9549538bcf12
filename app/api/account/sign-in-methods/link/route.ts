// POST /api/account/sign-in-methods/link {provider}: start linking a provider to my account. Sets
// the link cookie; the browser then goes through the provider, whose callback links the identity
// to me (lib/auth/oauth-sign-in.ts) and comes back to Settings.
import { cookies } from "next/headers";
import { startLink } from "@/lib/auth/oauth-sign-in";
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    await requireApiUser("POST /api/account/sign-in-methods/link");
    const c = await cookies();
    const header = await startLink(
      Object.fromEntries(c.getAll().map((x) => [x.name, x.value])),
      await readJson(req),
    );
    const res = json({ ok: true });
    res.headers.append("set-cookie", header);
    return res;
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");

// POST /api/signin/choose {username}: the choice screen after an OAuth/OIDC sign-in whose username
// belongs to another account. Creates the account for the waiting identity (the signed cookie from
// lib/auth/oauth-sign-in.ts) under the chosen username; the browser then signs in through the
// provider again, which now finds the link.
import { cookies } from "next/headers";
import { clearPendingHeader, readPending } from "@/lib/auth/oauth-sign-in";
import { AppError } from "@/lib/errors";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { clientIp } from "@/lib/origin";
import { limits } from "@/lib/ratelimit/limits";
import { createUserForIdentity } from "@/lib/users/identities.service";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    // Creates an account: the sign-up budget.
    await limits().consume("signup", clientIp(req.headers));
    const c = await cookies();
    const pending = readPending(Object.fromEntries(c.getAll().map((x) => [x.name, x.value])));
    if (!pending) throw new AppError("bad_request", "That sign-in took too long and expired. Start again.");
    const body = (await readJson(req)) as { username?: unknown } | null;
    const user = await createUserForIdentity(pending, {
      username: body?.username,
      displayName: pending.name ?? pending.username ?? pending.wanted,
      role: pending.admin ? "admin" : undefined,
    });
    const res = json({ user: { id: user.id, username: user.username }, provider: pending.provider }, 201);
    res.headers.append("set-cookie", clearPendingHeader());
    return res;
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");

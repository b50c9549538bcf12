// The identity waiting after a username collision, once its owner signed in with their password
// ("This is my account"): POST links it to me, DELETE forgets it.
import { cookies } from "next/headers";
import { clearPendingHeader, providerName, readPending } from "@/lib/auth/oauth-sign-in";
import { requireApiUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { handle, json, otherMethods } from "@/lib/http";
import { linkIdentity } from "@/lib/users/identities.service";

export function POST(): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/account/sign-in-methods/pending");
    const c = await cookies();
    const pending = readPending(Object.fromEntries(c.getAll().map((x) => [x.name, x.value])));
    if (!pending)
      throw new AppError(
        "bad_request",
        "Nothing is waiting to be linked, or it expired. Link from Settings.",
      );
    await linkIdentity(user, pending, providerName(pending.provider));
    const res = json({ ok: true, provider: pending.provider });
    res.headers.append("set-cookie", clearPendingHeader());
    return res;
  });
}

export function DELETE(): Promise<Response> {
  return handle(async () => {
    await requireApiUser("DELETE /api/account/sign-in-methods/pending");
    const res = json({ ok: true });
    res.headers.append("set-cookie", clearPendingHeader());
    return res;
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, OPTIONS } = otherMethods("POST", "DELETE");

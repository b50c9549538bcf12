// GET /api/account/sso-logout: where to send the browser after Beacon's own sign-out so the identity
// provider ends its session too (RP-initiated logout), or {url: null}. Asked before signing out:
// it reads the ID token from this session's cookie.
import { cookies } from "next/headers";
import { ssoLogoutUrl } from "@/lib/auth/oidc";
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";

export function GET(): Promise<Response> {
  return handle(async () => {
    await requireApiUser("GET /api/account/sso-logout");
    const c = await cookies();
    return json({ url: await ssoLogoutUrl(Object.fromEntries(c.getAll().map((x) => [x.name, x.value]))) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");

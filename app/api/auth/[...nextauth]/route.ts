// next-auth's own endpoints (sign-in, callbacks, session, CSRF, sign-out).
import NextAuth from "next-auth";
import { authOptions, guardSessionLookup } from "@/lib/auth/options";
import { withAuthRequest } from "@/lib/auth/request-context";
import { otherMethods } from "@/lib/http";

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, ctx: Ctx): Promise<Response> {
  // next-auth v4 reads params synchronously; Next 16 passes them as a promise.
  const params = await ctx.params;
  // A failed user lookup is a 503 that keeps the session cookie, not a sign-out.
  // The browser and address are kept at hand for recording a new session ("Your devices").
  return withAuthRequest(req.headers, () =>
    guardSessionLookup(() => NextAuth(authOptions())(req, { params })),
  );
}

export { handler as GET, handler as POST };

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");

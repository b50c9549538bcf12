// next-auth's own handler driven in-process with Beacon's options (CSRF check, callbacks, events),
// as app/api/auth/[...nextauth]/route.ts runs it: sign in, sign out, read the session.
import { createHash, randomBytes } from "node:crypto";
import NextAuth from "next-auth";
import { authOptions, guardSessionLookup } from "@/lib/auth/options";
import { withAuthRequest } from "@/lib/auth/request-context";

export const SESSION = "next-auth.session-token";
export const secret = () => process.env.NEXTAUTH_SECRET as string;

/** A CSRF cookie and token as next-auth issues them (double submit: the cookie holds token|hash). */
function csrf(): { cookie: string; token: string } {
  const token = randomBytes(32).toString("hex");
  const hash = createHash("sha256").update(`${token}${secret()}`).digest("hex");
  return { cookie: `${token}|${hash}`, token };
}

/**
 * Runs next-auth's handler for `action` (its API-route form: a plain request and response object)
 * inside Beacon's guard, as app/api/auth/[...nextauth]/route.ts does (a failed lookup is a 503).
 */
export async function nextAuth(req: {
  action: string;
  providerId?: string;
  method: "GET" | "POST";
  cookies: Record<string, string>;
  body?: Record<string, string>;
  /** The browser's user agent (recorded for "Your devices"). */
  userAgent?: string;
}) {
  const client = new Headers({
    "user-agent": req.userAgent ?? "vitest",
    "x-beacon-client-ip": "203.0.113.7",
  });
  const res = await withAuthRequest(client, () =>
    guardSessionLookup(async () => {
      let status = 200;
      let body: unknown = {};
      const headers = new Map<string, unknown>();
      const fakeRes = {
        status(code: number) {
          status = code;
          return fakeRes;
        },
        getHeader: (name: string) => headers.get(name.toLowerCase()),
        setHeader(name: string, value: unknown) {
          headers.set(name.toLowerCase(), value);
          return fakeRes;
        },
        end() {},
        json(data: unknown) {
          body = data;
        },
        send(data: unknown) {
          body = data;
        },
      };
      const fakeReq = {
        query: { nextauth: [req.action, ...(req.providerId ? [req.providerId] : [])] },
        // json: answer a redirect with {url}, as next-auth's client asks.
        body: { ...req.body, json: "true" },
        cookies: req.cookies,
        headers: { host: "localhost:3000" },
        method: req.method,
      };
      await (NextAuth as unknown as (q: unknown, r: unknown, o: unknown) => Promise<void>)(
        fakeReq,
        fakeRes,
        authOptions(),
      );
      const setCookie = [headers.get("set-cookie") ?? []].flat() as string[];
      return Response.json(body ?? {}, {
        status,
        headers: setCookie.map((c): [string, string] => ["set-cookie", c]),
      });
    }),
  );
  // What the browser is told to store (nothing when the guard replaced the response).
  const cookies = res.headers.getSetCookie().map((c) => {
    const [pair = ""] = c.split(";");
    const i = pair.indexOf("=");
    return { name: pair.slice(0, i), value: decodeURIComponent(pair.slice(i + 1)) };
  });
  return { res, cookies };
}

/** Signs in with the credentials form; the session cookie's value. */
export async function signIn(username: string, password: string): Promise<string> {
  const c = csrf();
  const { cookies } = await nextAuth({
    action: "callback",
    providerId: "credentials",
    method: "POST",
    cookies: { "next-auth.csrf-token": c.cookie },
    body: { username, password, csrfToken: c.token },
  });
  const session = cookies.find((x) => x.name === SESSION)?.value;
  if (!session) throw new Error("sign-in issued no session cookie");
  return session;
}

export async function signOut(session: string) {
  const c = csrf();
  return nextAuth({
    action: "signout",
    method: "POST",
    cookies: { "next-auth.csrf-token": c.cookie, [SESSION]: session },
    body: { csrfToken: c.token },
  });
}

/**
 * One credentials sign-in call with any fields (the password step, or the two-factor step with a
 * challenge and a code): the session cookie it issued, or next-auth's `error` for the form.
 */
export async function signInWith(
  body: Record<string, string>,
  userAgent?: string,
): Promise<{ session?: string; error?: string }> {
  const c = csrf();
  const { res, cookies } = await nextAuth({
    action: "callback",
    providerId: "credentials",
    method: "POST",
    cookies: { "next-auth.csrf-token": c.cookie },
    body: { ...body, csrfToken: c.token },
    userAgent,
  });
  const session = cookies.find((x) => x.name === SESSION)?.value;
  const url = ((await res.json()) as { url?: string }).url ?? "";
  const error = url ? (new URL(url, "http://localhost").searchParams.get("error") ?? undefined) : undefined;
  return { session: session || undefined, error };
}

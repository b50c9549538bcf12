// Session checks must tell "signed out" (no session, revoked) from "cannot check right now": a
// database outage answers 503 `unavailable` and keeps the session cookie, instead of signing everyone
// out. The outage is real: the pool points at a port nobody listens on.

import type { IncomingMessage, ServerResponse } from "node:http";
import net from "node:net";
import { createReactServerErrorHandler } from "next/dist/server/app-render/create-error-handler";
import { getServerSession } from "next-auth";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionClaims } from "@/lib/auth/jwt";
import { authOptions, guardSessionLookup } from "@/lib/auth/options";
import { apiUserFrom, type SessionSource, sessionUserFrom } from "@/lib/auth/session";
import { disconnectDb } from "@/lib/db/client";
import { AppError, UNAVAILABLE_DIGEST } from "@/lib/errors";
import { handle, json } from "@/lib/http";
import { LIMITS, limits, RateLimits, setLimits } from "@/lib/ratelimit/limits";
import { newSessionId, revokeSession } from "@/lib/sessions/sessions.service";
import { signUp } from "@/lib/users/users.service";
import { unique } from "./helpers/fixtures";

const secret = () => process.env.NEXTAUTH_SECRET as string;
const realUrl = () => process.env.DATABASE_URL as string;

async function closedPortUrl(): Promise<string> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return `postgres://root@127.0.0.1:${port}/beacon`;
}

async function withDatabaseDown<T>(fn: () => Promise<T>): Promise<T> {
  const url = realUrl();
  await disconnectDb();
  process.env.DATABASE_URL = await closedPortUrl();
  try {
    return await fn();
  } finally {
    await disconnectDb();
    process.env.DATABASE_URL = url;
  }
}

async function sessionCookie(uid: string, sv: number): Promise<SessionSource> {
  const token = await encode({ token: { uid, sv, sid: newSessionId(), name: "x" }, secret: secret() });
  return { cookies: { "next-auth.session-token": token } };
}

const apiCall = (src: SessionSource) => handle(async () => json({ user: await apiUserFrom(src, secret()) }));

let userId = "";

beforeAll(async () => {
  const user = await signUp({ username: unique("sess"), displayName: "Sess", password: "correct horse" });
  userId = user.id;
});

afterAll(async () => {
  await disconnectDb();
});

describe("session checks in API routes", () => {
  it("answers 200 for a live session, 401 for none, a forged one and a revoked one", async () => {
    const ok = await apiCall(await sessionCookie(userId, 0));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ user: { id: userId, displayName: "Sess" } });

    for (const src of [
      { cookies: {} },
      { cookies: { "next-auth.session-token": "not-a-token" } },
      // expired
      {
        cookies: {
          "next-auth.session-token": await encode({
            token: { uid: userId, sv: 0, sid: newSessionId() },
            secret: secret(),
            maxAge: -60,
          }),
        },
      },
      await sessionCookie(userId, 7), // session version bumped by a password change: revoked
      await sessionCookie("6d1f7c1e-4a55-4c3f-9d2b-5f1c2b7e9a10", 0), // user gone
    ]) {
      const res = await apiCall(src);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "Sign in to continue" } });
    }
  });

  it("reads the cookie next-auth sets for this deployment: __Secure- on https only", async () => {
    const plain = (await sessionCookie(userId, 0)).cookies["next-auth.session-token"] as string;
    const secure = { cookies: { "__Secure-next-auth.session-token": plain } };
    const before = process.env.NEXTAUTH_URL;
    try {
      process.env.NEXTAUTH_URL = "http://localhost:3000";
      expect((await apiCall({ cookies: { "next-auth.session-token": plain } })).status).toBe(200);
      expect((await apiCall(secure)).status).toBe(401);
      // On https, next-auth sets and clears only the __Secure- cookie: a plain one (left from an
      // http start, or planted over plain HTTP) must not sign anyone in, or sign-out would not stick.
      process.env.NEXTAUTH_URL = "https://chat.example.com";
      expect((await apiCall(secure)).status).toBe(200);
      expect((await apiCall({ cookies: { "next-auth.session-token": plain } })).status).toBe(401);
    } finally {
      if (before === undefined) delete process.env.NEXTAUTH_URL;
      else process.env.NEXTAUTH_URL = before;
    }
  });

  it("answers 503 unavailable JSON, not 401, when the database cannot be reached", async () => {
    const src = await sessionCookie(userId, 0);
    const res = await withDatabaseDown(() => apiCall(src));
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unavailable");
    expect(body.error.message).toMatch(/database/);
    expect(body.error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    await expect(withDatabaseDown(() => sessionUserFrom(src, secret()))).rejects.toMatchObject({
      code: "unavailable",
    });
    // Without a session cookie there is nothing to look up: still a plain 401.
    const anon = await withDatabaseDown(() => apiCall({ cookies: {} }));
    expect(anon.status).toBe(401);
    // And once the database is back, the same cookie works again.
    expect((await apiCall(src)).status).toBe(200);
  });
});

describe("pages that cannot check the session", () => {
  it("fail with the outage digest, which Next passes on to app/error.tsx; other errors do not", async () => {
    const src = await sessionCookie(userId, 0);
    const thrown = await withDatabaseDown(() => sessionUserFrom(src, secret())).catch((err: unknown) => err);
    expect(thrown).toMatchObject({ code: "unavailable", digest: UNAVAILABLE_DIGEST });
    // Next's own handler for errors thrown by server components: its return value is the digest the
    // browser's error boundary gets (in production the message is replaced, the digest kept).
    const digestOf = createReactServerErrorHandler(false, false, new Map(), () => {});
    expect(digestOf(thrown)).toBe(UNAVAILABLE_DIGEST);
    expect(digestOf(new Error("a bug in a page"))).not.toBe(UNAVAILABLE_DIGEST);
    expect(digestOf(new AppError("unavailable", "Sign-in is not configured on this server"))).not.toBe(
      UNAVAILABLE_DIGEST,
    );
  });
});

describe("next-auth's session endpoint", () => {
  // getServerSession(req, res, options) runs next-auth's own session action, as /api/auth/session does.
  async function sessionEndpoint(src: SessionSource): Promise<{ res: Response; cookies: string[] }> {
    const set: string[] = [];
    const res = {
      getHeader: () => undefined,
      setHeader: (name: string, value: string | string[]) => {
        if (name.toLowerCase() === "set-cookie") set.push(...(Array.isArray(value) ? value : [value]));
      },
    } as unknown as ServerResponse;
    const req = { headers: {}, cookies: src.cookies } as unknown as IncomingMessage & {
      cookies: Record<string, string>;
    };
    const out = await guardSessionLookup(async () => {
      const session = await getServerSession(req, res, authOptions());
      return Response.json(session ?? {}, { headers: set.map((c) => ["set-cookie", c] as [string, string]) });
    });
    return { res: out, cookies: out.headers.getSetCookie() };
  }

  it("keeps the cookie and answers 503 when the lookup fails; signs out a revoked session", async () => {
    const live = await sessionEndpoint(await sessionCookie(userId, 0));
    expect(live.res.status).toBe(200);
    expect(await live.res.json()).toMatchObject({ user: { id: userId } });

    const down = await withDatabaseDown(async () => sessionEndpoint(await sessionCookie(userId, 0)));
    expect(down.res.status).toBe(503);
    expect(await down.res.json()).toMatchObject({ error: { code: "unavailable" } });
    expect(down.cookies).toEqual([]);

    const revoked = await sessionEndpoint(await sessionCookie(userId, 9));
    expect(revoked.res.status).toBe(200);
    expect(await revoked.res.json()).not.toHaveProperty("user");
  });
});

describe("rate limits of signed-in routes", () => {
  it("past its budget a route answers 429 with Retry-After, without asking the database", async () => {
    const previous = limits();
    setLimits(new RateLimits()); // scale 1
    try {
      const kind = "POST /api/account/password";
      const src = await sessionCookie(userId, 0);
      const route = () => handle(async () => json({ user: await apiUserFrom(src, secret(), kind) }));
      for (let i = 0; i < LIMITS[kind].points; i++) expect((await route()).status).toBe(200);
      const res = await route();
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await res.json()).toEqual({
        error: {
          code: "rate_limited",
          message: expect.stringMatching(/^You're doing that too often — try again in \d+ s$/),
          retryAfterMs: expect.any(Number),
        },
      });
      // The same answer with PostgreSQL unreachable: a limited request never gets to the lookup
      // (an allowed one would answer 503 there).
      expect((await withDatabaseDown(route)).status).toBe(429);
      // Budgets are per session and per route.
      expect((await apiCall(src)).status).toBe(200);
    } finally {
      setLimits(previous);
    }
  });

  it("a signed-out copy of a cookie cannot spend the budget of its owner's live session", async () => {
    const previous = limits();
    setLimits(new RateLimits()); // scale 1
    try {
      const kind = "POST /api/account/password";
      const stolen = await sessionCookie(userId, 0);
      const sid = (await sessionClaims(stolen.cookies, secret()))?.sid;
      expect(await revokeSession({ sid, uid: userId }, 3600)).toBe(true);
      const call = (src: SessionSource) =>
        handle(async () => json({ user: await apiUserFrom(src, secret(), kind) }));
      // The revoked cookie is refused, then limited; the owner's own session is untouched.
      for (let i = 0; i < LIMITS[kind].points; i++) expect((await call(stolen)).status).toBe(401);
      expect((await call(stolen)).status).toBe(429);
      expect((await call(await sessionCookie(userId, 0))).status).toBe(200);
    } finally {
      setLimits(previous);
    }
  });
});

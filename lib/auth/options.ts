// next-auth v4 configuration: Credentials with JWT sessions; GitHub, Google and generic OIDC when configured.
import { AsyncLocalStorage } from "node:async_hooks";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import type { Provider } from "next-auth/providers/index";
import { noteAuthError } from "@/lib/auth/auth-request";
import { decodeSessionToken } from "@/lib/auth/jwt";
import { configuredProviders, oauthSignIn } from "@/lib/auth/oauth-sign-in";
import { oidcProvider, passwordSignInEnabled } from "@/lib/auth/oidc";
import { sessionUnavailable } from "@/lib/auth/session";
import { afterPassword, noteSignIn, secondStep } from "@/lib/auth/sign-in-steps";
import { env } from "@/lib/env";
import { toAppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { logger } from "@/lib/logger";
import { clientIp } from "@/lib/origin";
import { limits } from "@/lib/ratelimit/limits";
import { endSessionSockets } from "@/lib/realtime/server/registry";
import { isSessionRevoked, newSessionId, revokeSession } from "@/lib/sessions/sessions.service";
import { findLinkedUser } from "@/lib/users/identities.service";
import { getSessionUser, getSessionVersion, verifyCredentials } from "@/lib/users/users.service";

/** OAuth providers whose env vars are set; the sign-in page shows a button for each. */
export function oauthProviders(): { id: string; name: string }[] {
  return configuredProviders();
}

function providers(): Provider[] {
  const e = env();
  const list: Provider[] = [
    CredentialsProvider({
      id: "credentials",
      name: "Username and password",
      credentials: {
        username: { label: "Username", type: "text" },
        password: { label: "Password", type: "password" },
        // The two-factor step (lib/auth/sign-in-steps.ts): the password step's challenge and a code.
        challenge: { type: "hidden" },
        code: { label: "Authentication code", type: "text" },
        recoveryCode: { label: "Recovery code", type: "text" },
      },
      async authorize(credentials, req) {
        // The second step of a password sign-in with two-factor (lib/auth/sign-in-steps.ts).
        if (credentials?.challenge) return secondStep(credentials);
        const ip = clientIp(req?.headers ?? {});
        const username = String(credentials?.username ?? "")
          .trim()
          .toLowerCase()
          .slice(0, 64);
        // Failures are counted per (username, address), never per username alone: an attacker's
        // address can slow its own guesses, not the account's owner signing in from elsewhere.
        const pair = JSON.stringify([username, ip]);
        // Spend the attempt before checking the password, and refund it for the right one: checking
        // the budgets first would let N parallel guesses all pass before the first failure is counted.
        try {
          await limits().consume("signinIp", ip);
          try {
            await limits().consume("signinPair", pair);
          } catch (err) {
            await limits()
              .reward("signinIp", ip)
              .catch(() => {}); // refused for the account, not a failure of this network
            throw err;
          }
        } catch (err) {
          const e = toAppError(err);
          if (e.code !== "rate_limited") {
            logger.error({ err }, "sign-in limits unavailable");
            throw new Error("Unavailable");
          }
          // next-auth passes the message to the client as `error`; the form turns it into a sentence.
          throw new Error(`RateLimited:${Math.ceil((e.extra.retryAfterMs ?? 60_000) / 1000)}`);
        }
        let user: Awaited<ReturnType<typeof verifyCredentials>>;
        try {
          user = await verifyCredentials(credentials ?? {});
        } catch (err) {
          // Nothing was compared: an outage must not use up anyone's budget.
          await Promise.allSettled([limits().reward("signinIp", ip), limits().reward("signinPair", pair)]);
          // next-auth would put the message in the redirect URL: never send internals to the client.
          logger.error({ err }, "sign-in failed");
          throw new Error("Unavailable");
        }
        if (!user) return null; // a failure: both points stay spent
        // The right password for a deactivated account: not a guess, but no sign-in (the form says why).
        if (user.deactivated) {
          await Promise.allSettled([limits().reset("signinPair", pair), limits().reward("signinIp", ip)]);
          throw new Error("Deactivated");
        }
        try {
          // Success clears this address's failures for the account and gives the network its point back.
          await Promise.all([limits().reset("signinPair", pair), limits().reward("signinIp", ip)]);
        } catch (err) {
          logger.error({ err }, "sign-in failed");
          throw new Error("Unavailable");
        }
        // Two-factor on: no session yet, only a challenge for the code step.
        await afterPassword(user);
        return {
          id: user.id,
          name: user.displayName,
          username: user.username,
          sessionVersion: user.sessionVersion,
        };
      },
    }),
  ];
  if (e.GITHUB_ID && e.GITHUB_SECRET)
    list.push(GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  if (e.GOOGLE_ID && e.GOOGLE_SECRET)
    list.push(GoogleProvider({ clientId: e.GOOGLE_ID, clientSecret: e.GOOGLE_SECRET }));
  if (e.OIDC_ISSUER && e.OIDC_ID && e.OIDC_SECRET)
    list.push(
      oidcProvider({ ...e, OIDC_ISSUER: e.OIDC_ISSUER, OIDC_ID: e.OIDC_ID, OIDC_SECRET: e.OIDC_SECRET }),
    );
  // SSO-only (AUTH_PASSWORD=off): no password sign-in at all, not just no form.
  return passwordSignInEnabled() ? list : list.filter((p) => p.id !== "credentials");
}

/** Set when a session lookup or a sign-out's revocation throws, for the request it runs in. */
const sessionLookup = new AsyncLocalStorage<{ failed: boolean }>();

/** Marks the running endpoint as failed (see guardSessionLookup) and rethrows. */
function lookupFailed(err: unknown): never {
  const probe = sessionLookup.getStore();
  if (probe) probe.failed = true;
  throw err;
}

/**
 * Runs one of next-auth's own endpoints. next-auth answers a session callback that throws with an
 * empty session and a cleared session cookie, so a database outage would sign the visitor out; and
 * it logs a failed sign-out event and clears the cookie anyway, so the session would look ended in
 * this browser but stay valid on the server. When either failed, that response is dropped (cookie
 * kept) and a 503 `unavailable` is sent instead.
 */
export async function guardSessionLookup(run: () => Promise<Response>): Promise<Response> {
  const probe = { failed: false };
  const res = await sessionLookup.run(probe, run);
  if (!probe.failed) return res;
  return errorResponse(sessionUnavailable());
}

export function authOptions(): NextAuthOptions {
  // Sessions end after this long without signing in again (default 30 days).
  const maxAge = env().SESSION_MAX_AGE;
  return {
    secret: env().NEXTAUTH_SECRET,
    session: {
      strategy: "jwt",
      maxAge,
      updateAge: Math.min(24 * 60 * 60, maxAge),
    },
    jwt: { maxAge, decode: decodeSessionToken },
    pages: { signIn: "/signin", error: "/signin" },
    providers: providers(),
    // Remembers why a provider's callback failed, for the sign-in page's sentence (auth-request.ts).
    logger: {
      error(code, metadata) {
        noteAuthError(code, metadata);
        logger.warn({ code, err: (metadata as { error?: unknown })?.error ?? metadata }, "next-auth error");
      },
      warn(code) {
        logger.warn({ code }, "next-auth warning");
      },
      debug() {},
    },
    callbacks: {
      // OAuth/OIDC: linking from Settings, the groups rules, account creation or the username choice.
      async signIn({ account, profile }) {
        if (!account || account.provider === "credentials") return true;
        return oauthSignIn(account, profile);
      },
      async jwt({ token, user, account }) {
        if (account && account.provider !== "credentials") {
          // The signIn callback (oauthSignIn) found or created the account linked to this identity.
          const linked = await findLinkedUser({
            provider: account.provider,
            providerAccountId: account.providerAccountId,
          });
          if (!linked) throw new Error("the identity is not linked to an account");
          token.uid = linked.id;
          token.username = linked.username;
          token.name = linked.displayName;
          token.sv = (await getSessionVersion(linked.id)) ?? 0;
          token.sid = newSessionId();
          // For RP-initiated logout (the provider's end_session_endpoint wants it as id_token_hint).
          if (account.provider === "oidc" && account.id_token) token.idt = account.id_token;
        } else if (user) {
          token.uid = user.id;
          token.username = (user as { username?: string }).username;
          token.name = user.name;
          token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
          token.sid = newSessionId();
        } else {
          // Renewing an existing token (the session endpoint re-issues it for another max age): never
          // for a signed-out one, or a copy of it could outlive its revocation (sessions.service.ts).
          // Throwing makes next-auth answer "no session" and clear the cookie.
          const revoked = await isSessionRevoked(token.sid).catch(lookupFailed);
          if (revoked) throw new Error("session signed out");
        }
        if (user) await noteSignIn(token); // a new session: for "Your devices"
        return token;
      },
      async session({ session, token }) {
        // Read the user on every request: display names change, and a password change ends every
        // session signed with an older session version.
        // A failure is not "signed out": guardSessionLookup turns it into a 503 and keeps the cookie.
        const current =
          typeof token.uid === "string"
            ? await getSessionUser({ uid: token.uid, sv: token.sv, sid: token.sid }).catch(lookupFailed)
            : null;
        if (current) {
          session.user = { id: current.id, username: current.username, name: current.displayName };
        } else {
          (session as { user?: unknown }).user = undefined;
        }
        return session;
      },
    },
    events: {
      // Runs on POST /api/auth/signout, after its CSRF check and before the response (which clears the
      // cookie): end this session on the server too, so a copy of the cookie is refused everywhere,
      // and close its sockets on every node.
      async signOut({ token }) {
        await revokeSession(token ?? {}, maxAge).catch((err: unknown) => {
          logger.error({ err }, "sign-out could not revoke the session");
          lookupFailed(err);
        });
        if (typeof token?.sid === "string") endSessionSockets(token.sid);
      },
    },
  };
}

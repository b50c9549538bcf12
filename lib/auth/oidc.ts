// The generic OpenID Connect provider (OIDC_ISSUER/OIDC_ID/OIDC_SECRET) for next-auth, and the
// RP-initiated logout URL. Authorization code + PKCE, with state and nonce checked by openid-client.
// next-auth v4 with `idToken: true` takes the profile from the ID token alone; a provider that
// follows the spec's default puts name, preferred_username and email only in /userinfo (the ID
// token of a code flow carries just `sub`), so /userinfo is read whenever the ID token lacks them.

import { getToken } from "next-auth/jwt";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { TokenSet } from "openid-client";
import { decodeSessionToken } from "@/lib/auth/jwt";
import {
  type Claims,
  groupsFromClaims,
  hasProfileClaims,
  mergeUserinfo,
  profileFromClaims,
  sameIssuer,
} from "@/lib/auth/oidc-claims";
import { type Env, env } from "@/lib/env";

export const OIDC_ID = "oidc";

function issuerBase(issuer: string): string {
  return issuer.replace(/\/+$/, "");
}

/** True unless SSO-only mode (AUTH_PASSWORD=off) is on. */
export function passwordSignInEnabled(): boolean {
  return env().AUTH_PASSWORD !== "off";
}

/** Whether the groups claim matters for this deployment (then /userinfo is read when the ID token lacks it). */
function groupsNeeded(e: Env): boolean {
  return e.OIDC_ALLOWED_GROUPS.length > 0 || e.OIDC_ADMIN_GROUPS.length > 0;
}

export function oidcProvider(
  e: Env & { OIDC_ISSUER: string; OIDC_ID: string; OIDC_SECRET: string },
): OAuthConfig<Claims> {
  const configured = e.OIDC_ISSUER;
  return {
    id: OIDC_ID,
    name: e.OIDC_NAME,
    type: "oauth",
    wellKnown: `${issuerBase(configured)}/.well-known/openid-configuration`,
    clientId: e.OIDC_ID,
    clientSecret: e.OIDC_SECRET,
    authorization: { params: { scope: "openid profile email" } },
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    userinfo: {
      // Runs after openid-client checked the ID token (signature, iss, aud, nonce, expiry).
      async request(context) {
        const client = context.client;
        const tokens = context.tokens as TokenSet;
        // Discovery must name the issuer that is configured (OIDC Discovery 4.3): otherwise tokens
        // from another issuer would pass as long as they match what that document says.
        const discovered = String(client.issuer.metadata.issuer ?? "");
        if (!sameIssuer(configured, discovered))
          throw new Error(`issuer mismatch: OIDC_ISSUER is ${configured}, the provider says ${discovered}`);
        const claims = tokens.claims() as Claims;
        const complete =
          hasProfileClaims(claims) &&
          (!groupsNeeded(e) || groupsFromClaims(claims, e.OIDC_GROUPS_CLAIM).length > 0);
        if (complete || !tokens.access_token || !client.issuer.metadata.userinfo_endpoint) return claims;
        return mergeUserinfo(claims, (await client.userinfo(tokens)) as Claims);
      },
    },
    profile(claims) {
      const p = profileFromClaims(claims, e.OIDC_GROUPS_CLAIM);
      return { id: p.id, name: p.name ?? p.username ?? null, email: p.email ?? null };
    },
  };
}

const endSession = new Map<string, { url: string | null; at: number }>();

/** The provider's end_session_endpoint (cached for ten minutes), or null when it offers none. */
async function endSessionEndpoint(issuer: string): Promise<string | null> {
  const hit = endSession.get(issuer);
  if (hit && Date.now() - hit.at < 600_000) return hit.url;
  const res = await fetch(`${issuerBase(issuer)}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`discovery answered ${res.status}`);
  const doc = (await res.json()) as { end_session_endpoint?: unknown };
  const url = typeof doc.end_session_endpoint === "string" ? doc.end_session_endpoint : null;
  endSession.set(issuer, { url, at: Date.now() });
  return url;
}

/**
 * Where the browser goes after Beacon's own sign-out, for a session that signed in through OIDC:
 * the provider's end_session_endpoint with the ID token as hint and Beacon's sign-in page to come
 * back to (RP-Initiated Logout 1.0). Null when the session did not use OIDC or the provider offers
 * no logout endpoint.
 */
export async function ssoLogoutUrl(cookies: Record<string, string>): Promise<string | null> {
  const e = env();
  if (!e.OIDC_ISSUER || !e.OIDC_ID || !e.NEXTAUTH_SECRET) return null;
  const req = { headers: {}, cookies } as unknown as Parameters<typeof getToken>[0]["req"];
  const token = await getToken({ req, secret: e.NEXTAUTH_SECRET, decode: decodeSessionToken }).catch(
    () => null,
  );
  const idToken = token?.idt;
  if (typeof idToken !== "string") return null;
  const endpoint = await endSessionEndpoint(e.OIDC_ISSUER).catch(() => null);
  if (!endpoint) return null;
  const url = new URL(endpoint);
  url.searchParams.set("id_token_hint", idToken);
  url.searchParams.set("client_id", e.OIDC_ID);
  url.searchParams.set("post_logout_redirect_uri", `${(e.NEXTAUTH_URL ?? "").replace(/\/$/, "")}/signin`);
  return url.toString();
}

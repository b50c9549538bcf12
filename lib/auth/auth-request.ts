// The request next-auth is answering, for the OAuth sign-in steps that next-auth has no hook for:
// reading Beacon's own step cookies (lib/auth/signed-cookie.ts), setting them on the response, and
// naming why a provider's callback failed. next-auth sends every callback failure to
// `?error=OAuthCallback`; a forged or replayed state and a reply from the wrong issuer deserve their
// own sentence on the sign-in page (app/(auth)/signin/sign-in-errors.ts).
import { AsyncLocalStorage } from "node:async_hooks";

export type OAuthFailure = "OAuthState" | "OAuthIssuer";

interface AuthRequest {
  cookies: Record<string, string>;
  setCookies: string[];
  failure?: OAuthFailure;
}

const current = new AsyncLocalStorage<AuthRequest>();

function parseCookies(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    try {
      out[name] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      out[name] = part.slice(at + 1).trim();
    }
  }
  return out;
}

/** Runs one of next-auth's endpoints with the request's context; adds our cookies and error codes. */
export async function withAuthRequest(req: Request, run: () => Promise<Response>): Promise<Response> {
  const store: AuthRequest = { cookies: parseCookies(req.headers.get("cookie")), setCookies: [] };
  const res = await current.run(store, run);
  for (const c of store.setCookies) res.headers.append("set-cookie", c);
  const location = res.headers.get("location");
  if (store.failure && location?.includes("error=OAuthCallback"))
    res.headers.set("location", location.replace("error=OAuthCallback", `error=${store.failure}`));
  return res;
}

export function requestCookie(name: string): string | undefined {
  return current.getStore()?.cookies[name];
}

export function requestCookies(): Record<string, string> {
  return current.getStore()?.cookies ?? {};
}

export function addResponseCookie(header: string): void {
  current.getStore()?.setCookies.push(header);
}

const STATE =
  /state mismatch|state missing|checks\.state|State cookie|State value|nonce mismatch|nonce missing|checks\.nonce|Nonce cookie|Nonce value|code_verifier/i;
const ISSUER = /iss mismatch|unexpected iss|issuer mismatch|iss missing/i;

/** Which failure an OAuth callback error is, from openid-client's and next-auth's messages. */
export function classifyOAuthFailure(message: string): OAuthFailure | undefined {
  if (ISSUER.test(message)) return "OAuthIssuer";
  if (STATE.test(message)) return "OAuthState";
  return undefined;
}

/** next-auth's logger hook: remembers why this request's OAuth callback failed. */
export function noteAuthError(code: string, metadata: unknown): void {
  if (code !== "OAUTH_CALLBACK_ERROR") return;
  const err = (metadata as { error?: { message?: unknown } } | undefined)?.error ?? metadata;
  const message =
    typeof (err as { message?: unknown })?.message === "string" ? (err as { message: string }).message : "";
  const failure = classifyOAuthFailure(message);
  const store = current.getStore();
  if (store && failure) store.failure = failure;
}

// The browser and address of the request next-auth is serving, for the jwt callback (which is not
// given the request) to record where a new session signed in (lib/sessions/devices.service.ts).
import { AsyncLocalStorage } from "node:async_hooks";
import { clientIp } from "@/lib/origin";

export interface AuthRequestInfo {
  userAgent: string;
  ip: string;
}

const store = new AsyncLocalStorage<AuthRequestInfo>();

/** Run next-auth's handler for `req` with its user agent and client address at hand. */
export function withAuthRequest<T>(headers: Headers, run: () => T): T {
  const info = { userAgent: (headers.get("user-agent") ?? "").slice(0, 512), ip: clientIp(headers) };
  return store.run(info, run);
}

/** The running next-auth request's user agent and address (empty outside one). */
export function authRequestInfo(): AuthRequestInfo {
  return store.getStore() ?? { userAgent: "", ip: "" };
}

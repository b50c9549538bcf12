// Signing out of this browser: the server revokes the session first (lib/auth/options.ts, the
// signOut event), and only then are this browser's unsent messages dropped and sign-in shown.
import { signOut } from "next-auth/react";
import { clientT } from "@/app/_lib/client-translator";
import { clearBrowserOutboxes } from "@/lib/messages/outbox";
import { setSigningOut } from "@/lib/realtime/client/socket";
import { setAppBadge } from "./app-badge";

/** Sign out; resolves with a sentence for the person when the server could not end the session. */
export async function signOutHere(): Promise<string | undefined> {
  // The server closes this tab's socket as part of the sign-out: this tab goes to sign-in itself.
  setSigningOut(true);
  // Signed in through OIDC: the provider's logout URL (read before the cookie goes), to end its
  // session too after ours (RP-initiated logout). Best effort: Beacon's own sign-out comes first.
  const sso = await fetch("/api/account/sso-logout")
    .then(async (r) => (r.ok ? ((await r.json()) as { url?: string | null }).url : null))
    .catch(() => null);
  let answer: { url?: string; error?: { message?: string } } | undefined;
  try {
    answer = (await signOut({ redirect: false, callbackUrl: "/signin" })) as typeof answer;
  } catch {
    setSigningOut(false);
    return clientT("signOut.unreachable");
  }
  if (!answer?.url) {
    // A 503 (the session could not be revoked): the cookie was kept, so nothing pretends otherwise.
    setSigningOut(false);
    return answer?.error?.message ?? clientT("signOut.failed");
  }
  clearBrowserOutboxes();
  setAppBadge(0); // the next person on this device does not see this one's unread count
  window.location.assign(sso ?? "/signin");
  return undefined;
}

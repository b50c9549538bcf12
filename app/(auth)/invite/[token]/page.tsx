// /invite/<token>: what an invite link grants, then a sign-up form (signed out) or a Join button
// (signed in). A link that does not work says why (expired, used up, revoked, unknown).
import type { Metadata } from "next";
import Link from "next/link";
import { SignUpForm } from "@/app/(auth)/signup/sign-up-form";
import { currentUser } from "@/lib/auth/session";
import { previewInvite } from "@/lib/invites/invites.service";
import { REGISTRATION_MESSAGES } from "@/lib/users/users.service";
import { ROLE_LABELS } from "@/lib/workspace/roles";
import { getWorkspaceSettings } from "@/lib/workspace/settings.service";
import { JoinInvite } from "./join-invite";

export const metadata: Metadata = { title: "Invite" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invite, user] = await Promise.all([previewInvite(token), currentUser()]);
  const here = `/invite/${encodeURIComponent(token)}`;
  if (!invite.valid) {
    return (
      <div>
        <h1 className="mb-3 text-lg font-semibold">This invite link does not work</h1>
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
        >
          {invite.message}
        </p>
        <p className="mt-5 text-center text-sm">
          <Link
            href={user ? "/rooms" : "/signin"}
            className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
          >
            {user ? "Go to your rooms" : "Sign in"}
          </Link>
        </p>
      </div>
    );
  }
  const room = invite.rooms[0];
  const title =
    invite.kind === "room" && room
      ? `Join ${room.isPrivate ? "🔒" : "#"} ${room.name} in ${invite.workspaceName}`
      : `Join ${invite.workspaceName} as ${invite.roleLabel}`;
  const summary = (
    <section aria-label="Invite" className="mb-5">
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Invited by {invite.invitedBy}</p>
      {invite.rooms.length > 0 && (
        <div className="mt-3">
          <h2 className="text-xs font-medium uppercase tracking-wide text-zinc-500">
            {invite.rooms.length === 1 ? "Room" : "Rooms"}
          </h2>
          <ul className="mt-1 flex flex-wrap gap-1.5 text-sm">
            {invite.rooms.map((r) => (
              <li
                key={r.id}
                className="rounded-md bg-zinc-100 px-2 py-0.5 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200"
              >
                <span aria-hidden>{r.isPrivate ? "🔒 " : "# "}</span>
                {r.name}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
  if (user) {
    return (
      <div>
        {summary}
        <p className="mb-3 text-sm text-zinc-700 dark:text-zinc-300">
          You are signed in as <strong>@{user.username}</strong>
          {invite.kind === "workspace" && ` (${ROLE_LABELS[user.role]}: your role stays as it is)`}.
        </p>
        <JoinInvite token={token} />
      </div>
    );
  }
  const { registration } = await getWorkspaceSettings();
  return (
    <div>
      {summary}
      {registration === "closed" ? (
        <>
          <p role="status" className="text-sm text-zinc-700 dark:text-zinc-300">
            {REGISTRATION_MESSAGES.closed} If you already have one, sign in to join.
          </p>
          <p className="mt-5 text-center text-sm">
            <Link
              href={`/signin?callbackUrl=${encodeURIComponent(here)}`}
              className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            >
              Sign in
            </Link>
          </p>
        </>
      ) : (
        <SignUpForm callbackUrl={here} invite={token} heading="Create your account to join" />
      )}
    </div>
  );
}

// /invite/<token>: what an invite link grants, then a sign-up form (signed out) or a Join button
// (signed in). A link that does not work says why (expired, used up, revoked, unknown).
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SignUpForm } from "@/app/(auth)/signup/sign-up-form";
import { currentUser } from "@/lib/auth/session";
import type { InvalidReason } from "@/lib/invites/invites.schema";
import { previewInvite } from "@/lib/invites/invites.service";
import { getWorkspaceSettings } from "@/lib/workspace/settings.service";
import { JoinInvite } from "./join-invite";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth");
  return { title: t("invite.title") };
}

/** Why a link does not work, as an "errors" key (the sentences of INVALID_INVITE_MESSAGES). */
const INVALID: Record<InvalidReason, string> = {
  unknown: "api.inviteUnknown",
  expired: "api.inviteExpired",
  used_up: "api.inviteUsedUp",
  revoked: "api.inviteRevoked",
};

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invite, user, t, te] = await Promise.all([
    previewInvite(token),
    currentUser(),
    getTranslations("auth"),
    getTranslations("errors"),
  ]);
  const here = `/invite/${encodeURIComponent(token)}`;
  if (!invite.valid) {
    return (
      <div>
        <h1 className="mb-3 text-lg font-semibold">{t("invite.invalidTitle")}</h1>
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
        >
          {te(INVALID[invite.reason])}
        </p>
        <p className="mt-5 text-center text-sm">
          <Link
            href={user ? "/rooms" : "/signin"}
            className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
          >
            {user ? t("invite.goToRooms") : t("invite.signIn")}
          </Link>
        </p>
      </div>
    );
  }
  const room = invite.rooms[0];
  const workspace = invite.workspaceName;
  const title =
    invite.kind === "room" && room
      ? t(room.isPrivate ? "invite.joinPrivateRoom" : "invite.joinPublicRoom", { room: room.name, workspace })
      : t("invite.joinWorkspace", { workspace, role: t(`roles.${invite.role}`) });
  const summary = (
    <section aria-label={t("invite.title")} className="mb-5">
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        {t("invite.invitedBy", { name: invite.invitedBy })}
      </p>
      {invite.rooms.length > 0 && (
        <div className="mt-3">
          <h2 className="text-xs font-medium uppercase tracking-wide text-zinc-500">
            {/* A heading over the list: one word for one room, another for several (not a count). */}
            {invite.rooms.length === 1 ? t("invite.roomsOne") : t("invite.roomsMany")}
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
          {t.rich(invite.kind === "workspace" ? "invite.signedInAsRoleStays" : "invite.signedInAs", {
            username: user.username,
            role: t(`roles.${user.role}`),
            b: (chunks) => <strong>{chunks}</strong>,
          })}
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
            {t("invite.closed")}
          </p>
          <p className="mt-5 text-center text-sm">
            <Link
              href={`/signin?callbackUrl=${encodeURIComponent(here)}`}
              className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            >
              {t("invite.signIn")}
            </Link>
          </p>
        </>
      ) : (
        <SignUpForm callbackUrl={here} invite={token} />
      )}
    </div>
  );
}

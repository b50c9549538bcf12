// Sign-up page. The workspace's registration policy decides what it shows: the form (open), the
// form only with an invite link (?invite=<token>) or a message saying to ask for one (invite-only),
// or only a message (closed).
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/app/_lib/safe-callback";
import { currentUser } from "@/lib/auth/session";
import { REGISTRATION_MESSAGES } from "@/lib/users/users.service";
import { getWorkspaceSettings } from "@/lib/workspace/settings.service";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  const callbackUrl = safeCallbackUrl(sp.callbackUrl);
  const invite = typeof sp.invite === "string" ? sp.invite : undefined;
  // With an invite link, its own page says what it grants (or why it does not work).
  if (invite) redirect(`/invite/${encodeURIComponent(invite)}`);
  if (await currentUser()) redirect(callbackUrl);
  const { registration } = await getWorkspaceSettings();
  if (registration === "open") return <SignUpForm callbackUrl={callbackUrl} />;
  return (
    <div>
      <h1 className="mb-3 text-lg font-semibold">
        {registration === "closed" ? "Sign-up is closed" : "Sign-up needs an invite"}
      </h1>
      <p role="status" className="text-sm text-zinc-700 dark:text-zinc-300">
        {REGISTRATION_MESSAGES[registration]}
      </p>
      {registration === "invite" && (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          If you have an invite link, open it: it takes you to a sign-up form.
        </p>
      )}
      <p className="mt-5 text-center text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link
          href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}
          className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
        >
          Sign in
        </Link>
      </p>
    </div>
  );
}

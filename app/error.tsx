"use client";
// Any page that fails to render shows a readable message and a retry, instead of Next's bare error
// screen. Only a session check that could not reach the database (digest UNAVAILABLE_DIGEST, the one
// part of a server error Next passes on in production) is called an outage: the session cookie is
// kept then, so the visitor is still signed in. Anything else gets neutral wording.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { startTransition, useEffect } from "react";
import { UNAVAILABLE_DIGEST } from "@/lib/errors";

export default function PageError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const t = useTranslations("chat.pageError");
  const tc = useTranslations("common");
  const router = useRouter();
  useEffect(() => {
    console.error(error);
  }, [error]);
  const outage = error.digest === UNAVAILABLE_DIGEST;
  return (
    <main className="flex min-h-full flex-col items-center justify-center gap-3 p-8 text-center">
      <h1 className="text-xl font-semibold">{outage ? t("outageTitle") : t("title")}</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{outage ? t("outageBody") : t("body")}</p>
      <button
        type="button"
        className="btn-primary"
        onClick={() =>
          // A server component failed: fetch it again, then re-render the boundary.
          startTransition(() => {
            router.refresh();
            reset();
          })
        }
      >
        {tc("tryAgain")}
      </button>
    </main>
  );
}

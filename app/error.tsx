"use client";
// Any page that fails to render (most often: the database is unreachable while the session is
// checked) shows a readable message and a retry, instead of Next's bare error screen. The visitor
// stays signed in: an outage is not a sign-out.
import { useRouter } from "next/navigation";
import { startTransition, useEffect } from "react";

export default function PageError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const router = useRouter();
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main className="flex min-h-full flex-col items-center justify-center gap-3 p-8 text-center">
      <h1 className="text-xl font-semibold">Beacon is temporarily unavailable</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        We could not load this page. You are still signed in. Please try again in a moment.
      </p>
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
        Try again
      </button>
    </main>
  );
}

// Sign-in and sign-up share a centred card.
import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-full items-center justify-center bg-zinc-50 px-4 py-12 dark:bg-zinc-950">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <span
            aria-hidden
            className="grid size-9 place-items-center rounded-lg bg-indigo-600 text-lg font-bold text-white"
          >
            B
          </span>
          {/* i18n-exempt: product name */}
          <span className="text-xl font-semibold tracking-tight">Beacon</span>
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          {children}
        </div>
      </div>
    </main>
  );
}

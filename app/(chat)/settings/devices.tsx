"use client";
// Settings → Your devices: every signed-in session of mine, with Sign out for each other one and
// "Sign out everywhere else". A signed-out session's tabs go to sign-in at once (its sockets close).
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Device } from "@/lib/sessions/sessions.schema";
import { apiFetch } from "../_components/api";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function ago(iso: string): string {
  const s = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 120) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return when.format(new Date(iso));
}

export function Devices({ devices }: { devices: Device[] }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const others = devices.filter((d) => !d.current).length;

  async function act(key: string, url: string, method: "DELETE" | "POST") {
    setBusy(key);
    setError(undefined);
    const res = await apiFetch(url, { method });
    setBusy(undefined);
    if (!res.ok) return setError(res.message);
    router.refresh();
  }

  return (
    <section aria-labelledby="devices-heading" className="space-y-3">
      <h2 id="devices-heading" className="text-base font-semibold">
        Your devices
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Where your account is signed in now.</p>
      <ul
        aria-label="Signed-in sessions"
        className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
      >
        {devices.map((d) => {
          const name = `${d.browser} on ${d.os}`;
          return (
            <li
              key={d.sid}
              aria-label={d.current ? `${name}, this device` : name}
              className="flex items-center gap-3 p-3"
            >
              <div className="min-w-0 flex-1 text-sm">
                <p className="font-medium">
                  {name}
                  {d.current && (
                    <span className="ms-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300">
                      This device
                    </span>
                  )}
                </p>
                <p className="text-xs text-zinc-500">
                  {d.ip || "unknown address"} · signed in{" "}
                  <time dateTime={d.createdAt} suppressHydrationWarning>
                    {when.format(new Date(d.createdAt))}
                  </time>{" "}
                  · last seen{" "}
                  <time dateTime={d.lastSeenAt} suppressHydrationWarning>
                    {d.current ? "now" : ago(d.lastSeenAt)}
                  </time>
                </p>
              </div>
              {!d.current && (
                <button
                  type="button"
                  className="btn-secondary shrink-0 text-sm"
                  aria-label={`Sign out ${name}`}
                  disabled={busy !== undefined}
                  onClick={() =>
                    void act(d.sid, `/api/account/sessions/${encodeURIComponent(d.sid)}`, "DELETE")
                  }
                >
                  {busy === d.sid ? "Signing out…" : "Sign out"}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {others > 0 && (
        <button
          type="button"
          className="btn-secondary"
          disabled={busy !== undefined}
          onClick={() => void act("others", "/api/account/sessions/sign-out-others", "POST")}
        >
          {busy === "others" ? "Signing out…" : "Sign out everywhere else"}
        </button>
      )}
    </section>
  );
}

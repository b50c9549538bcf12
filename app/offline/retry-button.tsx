"use client";
// Retry loads the address the person asked for again (the service worker shows this page in its
// place while Beacon cannot be reached). It also happens by itself: while the browser says it is
// online, /api/health is asked every few seconds (2 s doubling to 30 s, and at once when the
// connection comes back), and the page reloads once Beacon answers. Reloading only then means a
// server that is down does not turn into a reload loop.
import { useTranslations } from "next-intl";
import { useEffect } from "react";

const FIRST_DELAY_MS = 2_000;
const MAX_DELAY_MS = 30_000;

async function reachable(): Promise<boolean> {
  try {
    return (await fetch("/api/health", { cache: "no-store" })).ok;
  } catch {
    return false;
  }
}

export function RetryButton() {
  const tc = useTranslations("common");
  useEffect(() => {
    let delay = FIRST_DELAY_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const check = async () => {
      clearTimeout(timer);
      if (navigator.onLine && (await reachable())) {
        window.location.reload();
        return;
      }
      if (stopped) return;
      timer = setTimeout(check, delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    };
    const online = () => {
      delay = FIRST_DELAY_MS;
      void check();
    };
    window.addEventListener("online", online);
    timer = setTimeout(check, delay);
    return () => {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener("online", online);
    };
  }, []);
  return (
    <button type="button" className="btn-primary w-full" onClick={() => window.location.reload()}>
      {tc("retry")}
    </button>
  );
}

"use client";
// Registers public/sw.js (the offline shell and cached static assets; never API answers or pages
// with anyone's data) in production builds on secure contexts (https, or localhost), once the page
// has loaded so it never competes with the page itself. `version` is the build id: a new build is
// a new script URL, so the browser installs the new worker, which drops the old build's caches.
import { useEffect } from "react";

export function ServiceWorker({ version }: { version: string }) {
  useEffect(() => {
    if (!window.isSecureContext || !("serviceWorker" in navigator)) return;
    if (process.env.NODE_ENV !== "production") {
      // A dev server on the port a production build used: its worker would serve stale build files.
      void navigator.serviceWorker.getRegistrations().then((all) => all.map((r) => r.unregister()));
      return;
    }
    const register = () => {
      navigator.serviceWorker
        .register(`/sw.js?v=${encodeURIComponent(version)}`, { scope: "/", updateViaCache: "none" })
        .catch(() => {
          // Without it Beacon works as before: no offline shell, no install prompt.
        });
    };
    if (document.readyState === "complete") register();
    else {
      window.addEventListener("load", register, { once: true });
      return () => window.removeEventListener("load", register);
    }
  }, [version]);
  return null;
}

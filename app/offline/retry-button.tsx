"use client";
// Retry loads the address the person asked for again (the service worker shows this page in its
// place while the network is down), and so does the connection coming back.
import { useEffect } from "react";

export function RetryButton() {
  useEffect(() => {
    const reload = () => window.location.reload();
    window.addEventListener("online", reload);
    return () => window.removeEventListener("online", reload);
  }, []);
  return (
    <button type="button" className="btn-primary w-full" onClick={() => window.location.reload()}>
      Retry
    </button>
  );
}

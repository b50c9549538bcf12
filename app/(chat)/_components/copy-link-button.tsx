"use client";
// "Copy link": copies an invite's full URL. Plain-HTTP origins have no clipboard API: then the text
// is selected in a hidden field and copied the old way, and if even that fails the user is told.
import { useTranslations } from "next-intl";
import { useState } from "react";
import { invitePath } from "@/lib/invites/invites.schema";

export function inviteUrl(token: string): string {
  return `${window.location.origin}${invitePath(token)}`;
}

/** `path` is made absolute on click (window is not there while the server renders the list). */
export function CopyLinkButton({ path, label }: { path: string; label?: string }) {
  const t = useTranslations("chat.copyLink");
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  async function copy() {
    const text = `${window.location.origin}${path}`;
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      ok = document.execCommand("copy");
      area.remove();
    }
    setState(ok ? "copied" : "failed");
    setTimeout(() => setState("idle"), 2000);
  }

  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className="btn-secondary" onClick={() => void copy()}>
        {label ?? t("label")}
      </button>
      <span role="status" className="text-xs text-zinc-500">
        {state === "copied" ? t("copied") : state === "failed" ? t("failed") : ""}
      </span>
    </span>
  );
}

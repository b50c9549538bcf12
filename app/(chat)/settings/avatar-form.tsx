"use client";
// Settings → Profile picture: pick a picture, see it as it will be shown (cropped square), upload it
// (with progress), or remove the current one. Without one, everyone sees your initials.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { formatBytes } from "@/lib/files/display";
import { apiFetch } from "../_components/api";
import { Avatar } from "../_components/avatar";
import { upload } from "../_components/upload";

export function AvatarForm({
  user,
}: {
  user: { id: string; displayName: string; avatarUrl?: string | null };
}) {
  const t = useTranslations("settings");
  const router = useRouter();
  // The stored picture: undefined until known (the image answers), then null when there is none.
  const [current, setCurrent] = useState<string | null | undefined>(user.avatarUrl);
  const [version, setVersion] = useState(0);
  const [picked, setPicked] = useState<{ file: File; url: string } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => () => (picked ? URL.revokeObjectURL(picked.url) : undefined), [picked]);

  // Ask the server once (and after each change) whether there is a stored picture.
  const probe = `/api/users/${encodeURIComponent(user.id)}/avatar?size=256${version ? `&v=${version}` : ""}`;
  useEffect(() => {
    if (user.avatarUrl !== undefined && version === 0) return;
    let live = true;
    void fetch(probe, { cache: "reload" }).then(
      (res) => live && setCurrent(res.ok ? probe : null),
      () => live && setCurrent(null),
    );
    return () => {
      live = false;
    };
  }, [probe, user.avatarUrl, version]);

  async function save() {
    if (!picked) return;
    setError(undefined);
    setStatus(undefined);
    setProgress(0);
    const res = await upload<unknown>("/api/account/avatar", [["file", picked.file, picked.file.name]], (f) =>
      setProgress(Math.round(f * 100)),
    ).result;
    setProgress(null);
    if (!res.ok) return setError(res.message);
    setPicked(null);
    setVersion((v) => v + 1);
    setStatus(t("avatar.saved"));
    router.refresh();
  }

  async function remove() {
    setError(undefined);
    setStatus(undefined);
    const res = await apiFetch("/api/account/avatar", { method: "DELETE" });
    if (!res.ok) return setError(res.message);
    setCurrent(null);
    setVersion((v) => v + 1);
    setStatus(t("avatar.removed"));
    router.refresh();
  }

  const shown = picked ? picked.url : current;
  return (
    <section aria-labelledby="avatar-heading" className="mb-8 space-y-3">
      <h2 id="avatar-heading" className="text-base font-semibold">
        {t("avatar.heading")}
      </h2>
      <div className="flex items-center gap-4">
        {shown ? (
          // biome-ignore lint/performance/noImgElement: a local preview (blob:) or the access-checked stored picture
          <img
            src={shown}
            alt={picked ? t("avatar.previewAlt") : t("avatar.currentAlt")}
            width={96}
            height={96}
            className="size-24 shrink-0 rounded-md bg-zinc-200 object-cover dark:bg-zinc-800"
          />
        ) : (
          <Avatar user={{ ...user, avatarUrl: null }} size={96} />
        )}
        <div className="min-w-0 space-y-2 text-sm">
          <p className="text-zinc-600 dark:text-zinc-400">
            {picked
              ? t("avatar.picked", { name: picked.file.name, size: formatBytes(picked.file.size) })
              : current
                ? t("avatar.shown")
                : t("avatar.none")}
          </p>
          <input
            ref={input}
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp,image/avif"
            hidden
            data-testid="avatar-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              if (!file) return;
              setError(undefined);
              setStatus(undefined);
              setPicked({ file, url: URL.createObjectURL(file) });
            }}
          />
          <div className="flex flex-wrap gap-2">
            {picked ? (
              <>
                <button
                  type="button"
                  className="btn-primary"
                  disabled={progress !== null}
                  onClick={() => void save()}
                >
                  {progress !== null ? t("avatar.uploading", { progress: progress / 100 }) : t("avatar.save")}
                </button>
                <button
                  type="button"
                  className="btn-ghost"
                  disabled={progress !== null}
                  onClick={() => setPicked(null)}
                >
                  {t("cancel")}
                </button>
              </>
            ) : (
              <>
                <button type="button" className="btn-secondary" onClick={() => input.current?.click()}>
                  {current ? t("avatar.change") : t("avatar.upload")}
                </button>
                {current && (
                  <button type="button" className="btn-ghost" onClick={() => void remove()}>
                    {t("avatar.remove")}
                  </button>
                )}
              </>
            )}
          </div>
        </div>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {status && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {status}
        </p>
      )}
    </section>
  );
}

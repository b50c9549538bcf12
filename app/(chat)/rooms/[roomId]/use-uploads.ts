"use client";
// The files waiting in the composer: each one uploads at once (POST /api/files, roomId first) with
// its progress, can be cancelled while it runs, retried when it failed, and removed (DELETE, so an
// unattached upload does not wait 24 h for the sweep). The message goes out only with stored files.
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import { type FileView, fileUrl, MAX_FILES_PER_MESSAGE } from "@/lib/files/files.schema";
import { uuid } from "@/lib/uuid";
import { upload } from "../../_components/upload";

export interface PendingFile {
  key: string;
  file: File;
  name: string;
  size: number;
  status: "uploading" | "stored" | "failed";
  /** 0..100 while uploading. */
  progress: number;
  error?: string;
  view?: FileView;
}

/**
 * A pasted screenshot has a generic name ("image.png"): give it one that says what it is
 * ("Pasted image 2026-01-02 10.11.12.png", in the sender's language).
 */
function named(file: File, i: number, stem: (stamp: string, n: number) => string): File {
  if (file.name && file.name !== "image.png") return file;
  const ext = file.type.split("/")[1]?.replace("jpeg", "jpg") ?? "png";
  const stamp = new Date().toISOString().slice(0, 19).replace("T", " ").replace(/:/g, ".");
  return new File([file], `${stem(stamp, i + 1)}.${ext}`, { type: file.type });
}

export function useUploads(roomId: string) {
  const t = useTranslations("room");
  const [files, setFiles] = useState<PendingFile[]>([]);
  const [error, setError] = useState<string>();
  const aborts = useRef(new Map<string, () => void>());
  // The list as of now (state lags a render behind): every change goes through update().
  const current = useRef<PendingFile[]>([]);
  const update = useCallback((fn: (fs: PendingFile[]) => PendingFile[]) => {
    current.current = fn(current.current);
    setFiles(current.current);
  }, []);

  const patch = useCallback(
    (key: string, p: Partial<PendingFile>) =>
      update((fs) => fs.map((f) => (f.key === key ? { ...f, ...p } : f))),
    [update],
  );

  const start = useCallback(
    (key: string, file: File) => {
      patch(key, { status: "uploading", progress: 0, error: undefined });
      const u = upload<{ file: FileView }>(
        "/api/files",
        [
          ["roomId", roomId],
          ["file", file, file.name],
        ],
        (fraction) => patch(key, { progress: Math.min(99, Math.round(fraction * 100)) }),
      );
      aborts.current.set(key, u.abort);
      void u.result.then((res) => {
        aborts.current.delete(key);
        if (res.ok) patch(key, { status: "stored", progress: 100, view: res.data.file });
        else if (res.code !== "aborted") patch(key, { status: "failed", error: res.message });
      });
    },
    [roomId, patch],
  );

  /** Add files (picked, dropped or pasted); each starts uploading. */
  const add = useCallback(
    (list: Iterable<File>, opts: { pasted?: boolean } = {}) => {
      const stem = (stamp: string, n: number) =>
        n > 1 ? t("uploads.pastedImageNumbered", { stamp, n }) : t("uploads.pastedImage", { stamp });
      const incoming = [...list].map((f, i) => (opts.pasted ? named(f, i, stem) : f));
      if (incoming.length === 0) return;
      const room = MAX_FILES_PER_MESSAGE - current.current.length;
      if (incoming.length > room) {
        setError(t("uploads.tooMany", { max: MAX_FILES_PER_MESSAGE }));
        incoming.length = Math.max(0, room);
      } else setError(undefined);
      const added: PendingFile[] = incoming.map((file) => ({
        key: uuid(),
        file,
        name: file.name,
        size: file.size,
        status: "uploading",
        progress: 0,
      }));
      update((fs) => [...fs, ...added]);
      for (const a of added) start(a.key, a.file);
    },
    [start, update, t],
  );

  const retry = useCallback(
    (key: string) => {
      const f = current.current.find((x) => x.key === key);
      if (f) start(key, f.file);
    },
    [start],
  );

  /** Cancel a running upload, or remove a stored (deleted on the server) or failed one. */
  const remove = useCallback(
    (key: string) => {
      aborts.current.get(key)?.();
      aborts.current.delete(key);
      const f = current.current.find((x) => x.key === key);
      if (f?.view) void fetch(fileUrl(f.view.id), { method: "DELETE" }).catch(() => {});
      update((fs) => fs.filter((x) => x.key !== key));
      setError(undefined);
    },
    [update],
  );

  /** The message took the stored files: forget them here (they are attached, not deleted). */
  const clear = useCallback(() => {
    update(() => []);
    setError(undefined);
  }, [update]);

  // Leaving the room cancels what is still uploading.
  useEffect(() => {
    const running = aborts.current;
    return () => {
      for (const abort of running.values()) abort();
    };
  }, []);

  const uploading = files.some((f) => f.status === "uploading");
  const failed = files.some((f) => f.status === "failed");
  const stored = files.flatMap((f) => (f.status === "stored" && f.view ? [f.view] : []));
  return { files, error, uploading, failed, stored, add, retry, remove, clear };
}

export type Uploads = ReturnType<typeof useUploads>;

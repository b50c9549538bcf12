"use client";
// Files in the room view: the composer's upload chips, a message's attachments (raster images as
// thumbnails in a box of their own size, so nothing jumps while they load; everything else, SVG and
// HTML included, as a download card that never renders the file), and the lightbox that walks the
// images of the loaded messages with ← and →.
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { type BadgeTone, fileBadge, fitBox, formatBytes } from "@/lib/files/display";
import { type FileView, fileUrl } from "@/lib/files/files.schema";
import type { Uploads } from "./use-uploads";

const THUMB_BOX = { w: 320, h: 240 };

const TONE: Record<BadgeTone, string> = {
  red: "bg-red-100 text-red-800 dark:bg-red-500/20 dark:text-red-200",
  amber: "bg-amber-100 text-amber-900 dark:bg-amber-500/20 dark:text-amber-200",
  green: "bg-emerald-100 text-emerald-800 dark:bg-emerald-500/20 dark:text-emerald-200",
  blue: "bg-sky-100 text-sky-800 dark:bg-sky-500/20 dark:text-sky-200",
  violet: "bg-violet-100 text-violet-800 dark:bg-violet-500/20 dark:text-violet-200",
  zinc: "bg-zinc-200 text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200",
};

export function TypeIcon({ name, type }: { name: string; type: string }) {
  const b = fileBadge(name, type);
  return (
    <span
      aria-hidden
      className={`grid h-10 w-9 shrink-0 place-items-center rounded-md text-[0.6rem] font-bold tracking-wide ${TONE[b.tone]}`}
    >
      {b.label}
    </span>
  );
}

/** A file as a card: type icon, name, size and a download link. The file itself is never shown. */
export function FileCard({ file }: { file: Pick<FileView, "id" | "name" | "size" | "type"> }) {
  const t = useTranslations("room");
  const locale = useLocale();
  return (
    <div
      data-testid="file-card"
      className="flex w-72 max-w-full items-center gap-3 rounded-lg border border-zinc-200 bg-white p-2 dark:border-zinc-700 dark:bg-zinc-900"
    >
      <TypeIcon name={file.name} type={file.type} />
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium" title={file.name}>
          {file.name}
        </p>
        <p className="text-xs text-zinc-500">{formatBytes(file.size, locale)}</p>
      </div>
      <a
        href={fileUrl(file.id, undefined, true)}
        download={file.name}
        title={t("files.downloadName", { name: file.name })}
        className="grid size-8 shrink-0 place-items-center rounded-md text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white"
      >
        <svg
          aria-hidden
          viewBox="0 0 20 20"
          className="size-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
        >
          <path d="M10 3v10m0 0-4-4m4 4 4-4M4 16h12" />
        </svg>
        <span className="sr-only">{t("files.downloadName", { name: file.name })}</span>
      </a>
    </div>
  );
}

/** A message's files: images first (thumbnails that open the lightbox), then the other files as cards. */
export function MessageFiles({
  files,
  onOpen,
}: {
  files: readonly FileView[];
  onOpen?: (fileId: string) => void;
}) {
  const t = useTranslations("room");
  const images = files.filter((f) => f.kind === "image");
  const others = files.filter((f) => f.kind !== "image");
  return (
    <div className="mt-1 flex flex-col gap-1.5" data-testid="message-files">
      {images.length > 0 && (
        <ul className="flex flex-wrap gap-1.5" aria-label={t("files.images")}>
          {images.map((f) => {
            const box = fitBox(f.width, f.height, THUMB_BOX);
            return (
              <li key={f.id} className="max-w-full">
                <button
                  type="button"
                  title={t("files.open", { name: f.name })}
                  onClick={() => onOpen?.(f.id)}
                  className="block max-w-full overflow-hidden rounded-lg border border-zinc-200 bg-zinc-100 hover:opacity-95 dark:border-zinc-700 dark:bg-zinc-800"
                >
                  {/* biome-ignore lint/performance/noImgElement: the file route checks access; next/image would proxy it */}
                  <img
                    src={fileUrl(f.id, "thumb")}
                    alt={f.name}
                    width={box.width}
                    height={box.height}
                    loading="lazy"
                    decoding="async"
                    data-testid="image-thumb"
                    className="block h-auto max-w-full object-cover"
                  />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {others.length > 0 && (
        <ul className="flex flex-wrap gap-1.5" aria-label={t("files.files")}>
          {others.map((f) => (
            <li key={f.id} className="max-w-full">
              <FileCard file={f} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The files waiting in the composer, each with progress and its own cancel / retry / remove. */
export function UploadChips({ uploads }: { uploads: Uploads }) {
  const t = useTranslations("room");
  const locale = useLocale();
  const percent = new Intl.NumberFormat(locale, { style: "percent" });
  return (
    <ul className="mb-1.5 flex flex-wrap gap-1.5" aria-label={t("files.attachments")}>
      {uploads.files.map((f) => (
        <li
          key={f.key}
          data-testid="upload-chip"
          data-status={f.status}
          className={`flex w-64 max-w-full items-center gap-2 rounded-md border px-2 py-1.5 text-xs ${
            f.status === "failed"
              ? "border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950/40"
              : "border-zinc-200 bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900"
          }`}
        >
          {f.view?.kind === "image" ? (
            // biome-ignore lint/performance/noImgElement: the stored thumbnail, checked by the file route
            <img
              src={fileUrl(f.view.id, "thumb")}
              alt=""
              width={36}
              height={36}
              className="size-9 shrink-0 rounded object-cover"
            />
          ) : (
            <TypeIcon name={f.name} type={f.file.type} />
          )}
          <div className="min-w-0 flex-1">
            <p className="truncate font-medium" title={f.name}>
              {f.name}
            </p>
            {f.status === "failed" ? (
              <p role="alert" className="text-red-700 dark:text-red-300">
                {f.error}
              </p>
            ) : (
              <>
                <p className="text-zinc-500">
                  {formatBytes(f.size, locale)}
                  {f.status === "uploading" ? ` · ${percent.format(f.progress / 100)}` : ""}
                </p>
                <div
                  role="progressbar"
                  aria-label={t("files.uploadOf", { name: f.name })}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={f.progress}
                  className="mt-0.5 h-1 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700"
                >
                  <div
                    className={`h-full rounded-full transition-[width] ${f.status === "stored" ? "bg-emerald-500" : "bg-indigo-500"}`}
                    style={{ width: `${f.progress}%` }}
                  />
                </div>
              </>
            )}
          </div>
          {f.status === "failed" && (
            <ChipButton label={t("files.retryUpload", { name: f.name })} onClick={() => uploads.retry(f.key)}>
              <path d="M4 10a6 6 0 1 0 2-4.5M4 3v3h3" />
            </ChipButton>
          )}
          <ChipButton
            label={
              f.status === "uploading"
                ? t("files.cancelUpload", { name: f.name })
                : t("files.remove", { name: f.name })
            }
            onClick={() => uploads.remove(f.key)}
          >
            <path d="M5 5l10 10M15 5 5 15" />
          </ChipButton>
        </li>
      ))}
    </ul>
  );
}

function ChipButton({
  label,
  onClick,
  children,
}: {
  label: string;
  onClick: () => void;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      className="grid size-7 shrink-0 place-items-center rounded text-zinc-600 hover:bg-zinc-200 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-700 dark:hover:text-white"
    >
      <svg
        aria-hidden
        viewBox="0 0 20 20"
        className="size-4"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
      >
        {children}
      </svg>
    </button>
  );
}

/**
 * One image at preview size over the page. ← / → move between `images` (the loaded messages'
 * images, oldest first), Esc or Close closes and gives focus back to what opened it.
 */
export function Lightbox({
  images,
  index,
  onMove,
  onClose,
}: {
  images: readonly FileView[];
  index: number;
  onMove: (index: number) => void;
  onClose: () => void;
}) {
  const t = useTranslations("room");
  const locale = useLocale();
  const file = images[index];
  const dialog = useRef<HTMLDivElement>(null);
  const closeBtn = useRef<HTMLButtonElement>(null);
  const opener = useRef<Element | null>(null);
  const close = useRef(onClose);
  close.current = onClose;

  // Focus moves in on open and back to the opener (the thumbnail) on close.
  useEffect(() => {
    opener.current = document.activeElement;
    closeBtn.current?.focus();
    return () => {
      const el = opener.current;
      if (el instanceof HTMLElement && el.isConnected) el.focus();
    };
  }, []);

  const count = images.length;
  useEffect(() => {
    // Right-to-left, the previous image is to the right: the arrow keys follow the buttons.
    const rtl = getComputedStyle(dialog.current ?? document.documentElement).direction === "rtl";
    // i18n-exempt: KeyboardEvent.key names, not text
    const [back, forward] = rtl ? ["ArrowRight", "ArrowLeft"] : ["ArrowLeft", "ArrowRight"];
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        close.current();
      } else if (e.key === back && index > 0) {
        e.preventDefault();
        onMove(index - 1);
      } else if (e.key === forward && index < count - 1) {
        e.preventDefault();
        onMove(index + 1);
      } else if (e.key === "Tab" && dialog.current) {
        // Keep Tab inside the dialog.
        const items = [...dialog.current.querySelectorAll<HTMLElement>("a[href], button:not([disabled])")];
        const first = items[0];
        const last = items.at(-1);
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last?.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first?.focus();
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [index, count, onMove]);

  if (!file) return null;
  const box = fitBox(file.width, file.height, { w: 1600, h: 1600 });
  const nav =
    "grid size-11 place-items-center rounded-full bg-black/50 text-2xl text-white hover:bg-black/70 disabled:opacity-30";
  return (
    <div
      ref={dialog}
      role="dialog"
      aria-modal="true"
      aria-label={file.name}
      data-testid="lightbox"
      className="fixed inset-0 z-50 flex flex-col bg-zinc-950/95 text-white"
    >
      <div className="flex items-center gap-2 px-3 py-2">
        <p className="min-w-0 flex-1 truncate text-sm font-medium" title={file.name}>
          {file.name}
          <span className="ms-2 text-xs font-normal text-zinc-300">
            {t("files.position", { index: index + 1, count })} · {formatBytes(file.size, locale)}
          </span>
        </p>
        <a
          href={fileUrl(file.id, undefined, true)}
          download={file.name}
          className="btn rounded-md bg-white/10 text-white hover:bg-white/20"
        >
          {t("files.download")}
        </a>
        <button
          ref={closeBtn}
          type="button"
          aria-label={t("files.close")}
          onClick={onClose}
          className="grid size-9 place-items-center rounded-md text-xl hover:bg-white/15"
        >
          <span aria-hidden>×</span>
        </button>
      </div>
      <div className="relative flex min-h-0 flex-1 items-center justify-center p-2 sm:px-16">
        {/* Clicking beside the image closes, like every lightbox. */}
        <button
          type="button"
          tabIndex={-1}
          aria-hidden
          className="absolute inset-0 cursor-default"
          onClick={onClose}
        />
        {/* biome-ignore lint/performance/noImgElement: the file route checks access; next/image would proxy it */}
        <img
          key={file.id}
          src={fileUrl(file.id, "preview")}
          alt={file.name}
          width={box.width}
          height={box.height}
          data-testid="lightbox-image"
          className="relative max-h-full max-w-full object-contain [height:auto]"
        />
        <button
          type="button"
          aria-label={t("files.previousImage")}
          disabled={index === 0}
          onClick={() => onMove(index - 1)}
          className={`${nav} absolute start-2 top-1/2 -translate-y-1/2`}
        >
          <span aria-hidden>‹</span>
        </button>
        <button
          type="button"
          aria-label={t("files.nextImage")}
          disabled={index >= count - 1}
          onClick={() => onMove(index + 1)}
          className={`${nav} absolute end-2 top-1/2 -translate-y-1/2`}
        >
          <span aria-hidden>›</span>
        </button>
      </div>
    </div>
  );
}

"use client";
// Quick reactions plus any emoji, typed directly or as a :shortcode:.
import { useTranslations } from "next-intl";
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { emojiShortcodes } from "@/lib/messages/markdown";
import { emojiSchema } from "@/lib/messages/messages.schema";
import { useDismiss } from "../../_components/use-dismiss";

export const QUICK_REACTIONS = ["👍", "❤️", "😂", "🎉", "😮", "😢", "👀", "✅"];

export function ReactionPicker({
  onPick,
  onClose,
}: {
  onPick: (emoji: string) => void;
  onClose: () => void;
}) {
  const t = useTranslations("room");
  const [value, setValue] = useState("");
  const [error, setError] = useState<string>();
  const ref = useRef<HTMLDivElement>(null);
  // Esc or a click outside closes it; focus goes back to the button that opened it.
  useDismiss(true, onClose, { ref });

  useEffect(() => {
    ref.current?.querySelector("button")?.focus();
  }, []);

  const matches = useMemo(() => {
    const q = value.trim().replace(/^:|:$/g, "").toLowerCase();
    if (q.length < 2) return [];
    return Object.entries(emojiShortcodes)
      .filter(([name]) => name.includes(q))
      .slice(0, 8);
  }, [value]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const raw = value.trim();
    const code = raw.replace(/^:|:$/g, "").toLowerCase();
    const emoji = emojiShortcodes[code] ?? raw;
    if (!emojiSchema.safeParse(emoji).success) return setError(t("reactions.invalid"));
    onPick(emoji);
  }

  return (
    <div
      ref={ref}
      role="dialog"
      aria-label={t("reactions.label")}
      className="absolute end-4 top-5 z-30 w-64 rounded-lg border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap gap-1">
        {QUICK_REACTIONS.map((e) => (
          <button
            key={e}
            type="button"
            aria-label={t("reactions.reactWith", { emoji: e })}
            className="grid size-8 place-items-center rounded text-lg hover:bg-zinc-100 dark:hover:bg-zinc-800"
            onClick={() => onPick(e)}
          >
            {e}
          </button>
        ))}
      </div>
      <form onSubmit={submit} className="mt-2 flex gap-1">
        <input
          aria-label={t("reactions.inputLabel")}
          placeholder={t("reactions.placeholder")}
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setError(undefined);
          }}
          className="input py-1"
        />
        <button type="submit" className="btn-secondary px-2 py-1 text-xs">
          {t("reactions.add")}
        </button>
      </form>
      {matches.length > 0 && (
        <div className="mt-1 flex flex-wrap gap-1">
          {matches.map(([name, e]) => (
            <button
              key={name}
              type="button"
              title={`:${name}:`}
              aria-label={t("reactions.reactWith", { emoji: `:${name}:` })}
              className="grid size-8 place-items-center rounded text-lg hover:bg-zinc-100 dark:hover:bg-zinc-800"
              onClick={() => onPick(e)}
            >
              {e}
            </button>
          ))}
        </div>
      )}
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}

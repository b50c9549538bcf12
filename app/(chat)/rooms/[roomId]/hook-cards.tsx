"use client";
// A webhook message's Slack-style attachments as cards: a colour bar, pretext, title (a link when it
// has one), Markdown text, a table of fields (short ones two to a row) and the footer.
import { useTranslations } from "next-intl";
import { renderMarkdown } from "@/lib/messages/markdown";
import type { MessageCard } from "@/lib/messages/messages.schema";

function Md({ text, className }: { text: string; className?: string }) {
  return (
    <div
      className={`message-body break-words ${className ?? ""}`}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: markdown-it with html:false never emits markup from the text
      dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }}
    />
  );
}

export function HookCards({ cards }: { cards: MessageCard[] }) {
  const t = useTranslations("room");
  return (
    <ul className="mt-1 space-y-1" aria-label={t("hookCards.label")}>
      {cards.map((c, i) => (
        <li
          // biome-ignore lint/suspicious/noArrayIndexKey: cards never reorder within a message
          key={i}
          data-testid="hook-card"
          aria-label={c.title ?? c.fallback ?? t("hookCards.card", { n: i + 1 })}
          className="max-w-xl rounded border border-zinc-200 border-s-4 bg-white py-1.5 pe-3 ps-3 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          style={{ borderInlineStartColor: c.color ?? "#a1a1aa" }}
        >
          {c.pretext && <Md text={c.pretext} className="mb-1 text-zinc-700 dark:text-zinc-300" />}
          {c.title &&
            (c.titleLink ? (
              <a
                href={c.titleLink}
                target="_blank"
                rel="noopener noreferrer nofollow"
                className="font-semibold text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {c.title}
              </a>
            ) : (
              <div className="font-semibold">{c.title}</div>
            ))}
          {c.text && <Md text={c.text} />}
          {c.fields.length > 0 && (
            <dl className="mt-1 grid grid-cols-2 gap-x-4 gap-y-1">
              {c.fields.map((f, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: fields never reorder
                <div key={j} className={f.short ? "col-span-1" : "col-span-2"}>
                  <dt className="text-xs font-semibold text-zinc-600 dark:text-zinc-400">{f.title}</dt>
                  <dd>
                    <Md text={f.value} />
                  </dd>
                </div>
              ))}
            </dl>
          )}
          {c.footer && <div className="mt-1 text-xs text-zinc-500">{c.footer}</div>}
        </li>
      ))}
    </ul>
  );
}

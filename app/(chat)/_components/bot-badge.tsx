// The BOT badge next to a bot's name (lib/bots): in the timeline, search, mentions, pinned messages,
// member lists and hover cards. Its text is what screen readers say ("BOT"), with a title for sighted
// users who wonder. Used by server and client components alike (useTranslations works in both).
import { useTranslations } from "next-intl";

export function BotBadge({ show = true }: { show?: boolean }) {
  const t = useTranslations("chat.bot");
  if (!show) return null;
  return (
    <span
      data-testid="bot-badge"
      title={t("title")}
      className="rounded bg-indigo-100 px-1 py-px text-[0.625rem] font-bold leading-none tracking-wide text-indigo-800 dark:bg-indigo-500/20 dark:text-indigo-200"
    >
      {t("badge")}
    </span>
  );
}

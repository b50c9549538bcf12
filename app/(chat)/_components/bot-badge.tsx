// The BOT badge next to a bot's name (lib/bots): in the timeline, search, mentions, pinned messages,
// member lists and hover cards. Its text is what screen readers say ("BOT"), with a title for sighted
// users who wonder.
export function BotBadge({ show = true }: { show?: boolean }) {
  if (!show) return null;
  return (
    <span
      data-testid="bot-badge"
      title="This account is a bot: it posts through the API"
      className="rounded bg-indigo-100 px-1 py-px text-[0.625rem] font-bold leading-none tracking-wide text-indigo-800 dark:bg-indigo-500/20 dark:text-indigo-200"
    >
      BOT
    </span>
  );
}

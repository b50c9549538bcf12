"use client";
// The Commands tab: add a custom slash command (name, bot, URL, description, usage), see its signing
// secret once, list and remove commands. How a bot answers: docs/integrations.md "Slash commands".
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { apiFetch } from "@/app/(chat)/_components/api";
import type { CreatedSlashCommand, SlashCommandView } from "@/lib/commands/commands.schema";

export function CommandsAdmin({ initial }: { initial: SlashCommandView[] }) {
  const t = useTranslations("admin");
  const [commands, setCommands] = useState(initial);
  const [created, setCreated] = useState<CreatedSlashCommand>();
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [listError, setListError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    setError(undefined);
    setFields({});
    const res = await apiFetch<{ command: CreatedSlashCommand }>("/api/admin/commands", {
      method: "POST",
      body: {
        name: String(data.get("name") ?? ""),
        bot: String(data.get("bot") ?? "").replace(/^@/, ""),
        url: String(data.get("url") ?? ""),
        description: String(data.get("description") ?? ""),
        usageHint: String(data.get("usageHint") ?? ""),
      },
    });
    setBusy(false);
    if (!res.ok) {
      setFields(res.fields ?? {});
      return setError(res.message);
    }
    setCreated(res.data.command);
    setCommands((list) => [...list, res.data.command].sort((a, b) => a.name.localeCompare(b.name)));
    form.reset();
  }

  async function remove(c: SlashCommandView) {
    if (!window.confirm(t("commands.confirmRemove", { name: c.name }))) return;
    const res = await apiFetch(`/api/admin/commands/${c.id}`, { method: "DELETE" });
    if (!res.ok) return setListError(res.message);
    setListError(undefined);
    setCommands((list) => list.filter((x) => x.id !== c.id));
    if (created?.id === c.id) setCreated(undefined);
  }

  /** An argument placeholder as the composer shows it: the word is translated, the brackets are syntax. */
  const usageExample = `<${t("commands.usageExample")}>`;

  const field = (name: string, label: string, hint: string, props: Record<string, unknown> = {}) => (
    <div>
      <label htmlFor={`command-${name}`} className="label">
        {label}
      </label>
      <input
        id={`command-${name}`}
        name={name}
        className="input"
        aria-invalid={fields[name] ? true : undefined}
        aria-describedby={`command-${name}-hint`}
        {...props}
      />
      <p
        id={`command-${name}-hint`}
        className={`mt-1 text-xs ${fields[name] ? "text-red-600" : "text-zinc-500"}`}
      >
        {fields[name] ?? hint}
      </p>
    </div>
  );

  return (
    <div className="space-y-6">
      <section
        aria-labelledby="new-command-title"
        className="max-w-3xl rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
      >
        <h2 id="new-command-title" className="mb-1 font-semibold">
          {t("commands.newTitle")}
        </h2>
        <p className="mb-3 text-sm text-zinc-500">{t("commands.intro")}</p>
        <form onSubmit={create} className="grid gap-4 sm:grid-cols-2" noValidate>
          {field("name", t("commands.name"), t("commands.nameHint"), {
            required: true,
            placeholder: t("commands.nameExample"),
          })}
          {field("bot", t("commands.bot"), t("commands.botHint"), {
            required: true,
            placeholder: t("commands.botExample"),
          })}
          {field("url", t("commands.url"), t("commands.urlHint"), {
            required: true,
            type: "url",
            placeholder: "https://bots.example.com/weather",
          })}
          {field("usageHint", t("commands.usage"), t("commands.usageHint", { example: usageExample }), {
            placeholder: usageExample,
          })}
          <div className="sm:col-span-2">
            {field("description", t("commands.description"), t("commands.descriptionHint"))}
          </div>
          <div className="flex items-center gap-3 sm:col-span-2">
            <button type="submit" className="btn-primary" disabled={busy}>
              {t(busy ? "commands.adding" : "commands.add")}
            </button>
            {error && (
              <p role="alert" className="text-sm text-red-600 dark:text-red-400">
                {error}
              </p>
            )}
          </div>
        </form>
        {created && (
          <div
            role="status"
            className="mt-4 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950"
          >
            <p>
              {t.rich("commands.created", {
                name: created.name,
                strong: (c) => <strong dir="ltr">{c}</strong>,
              })}
            </p>
            <label htmlFor="command-secret" className="label mt-2">
              {t("commands.secret")}
            </label>
            <input id="command-secret" readOnly value={created.secret} className="input font-mono" />
          </div>
        )}
      </section>
      <section aria-labelledby="commands-title">
        <h2 id="commands-title" className="mb-2 font-semibold">
          {t("commands.listTitle")}
        </h2>
        {listError && (
          <p role="alert" className="mb-2 text-sm text-red-600">
            {listError}
          </p>
        )}
        {commands.length === 0 ? (
          <p className="text-sm text-zinc-500">{t("commands.empty")}</p>
        ) : (
          <table className="w-full max-w-4xl text-start text-sm">
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th className="py-2 pe-3">{t("commands.name")}</th>
                <th className="py-2 pe-3">{t("commands.bot")}</th>
                <th className="py-2 pe-3">{t("commands.url")}</th>
                <th className="py-2">
                  <span className="sr-only">{t("commands.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {commands.map((c) => (
                <tr key={c.id} className="border-b border-zinc-100 dark:border-zinc-900">
                  <td className="py-2 pe-3">
                    <span dir="ltr" className="font-mono">
                      /{c.name}
                      {c.usageHint ? ` ${c.usageHint}` : ""}
                    </span>
                    {c.description && <p className="text-xs text-zinc-500">{c.description}</p>}
                  </td>
                  <td className="py-2 pe-3">
                    <bdi>@{c.bot.username}</bdi>
                  </td>
                  <td className="max-w-xs truncate py-2 pe-3 font-mono text-xs">
                    <bdi>{c.url}</bdi>
                  </td>
                  <td className="py-2 text-end">
                    <button
                      type="button"
                      className="btn-ghost text-red-700 dark:text-red-400"
                      aria-label={t("commands.removeLabel", { name: c.name })}
                      onClick={() => void remove(c)}
                    >
                      {t("commands.remove")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

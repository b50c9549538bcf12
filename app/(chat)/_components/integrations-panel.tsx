"use client";
// Webhooks, for the admin console's Integrations tab (every room) and a room's Integrations page
// (that room only): incoming hooks (create → the URL shown once with Copy and a curl example;
// regenerate; revoke), outgoing hooks (create → the signing secret shown once; delete) and each
// outgoing hook's delivery log.
import { useLocale, useTranslations } from "next-intl";
import { type FormEvent, useMemo, useState } from "react";
import { apiFetch } from "@/app/(chat)/_components/api";
import { CopyLinkButton } from "@/app/(chat)/_components/copy-link-button";
import {
  type CreatedIncomingHook,
  type CreatedOutgoingHook,
  type DeliveryView,
  type HookLists,
  type HookRoom,
  type IncomingHookView,
  type OutgoingHookView,
  splitTriggerWords,
} from "@/lib/webhooks/webhooks.schema";

const STATUS_CLASS: Record<DeliveryView["status"], string> = {
  pending: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  delivered: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  failed: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};

function Shown({ id, label, value, note }: { id: string; label: string; value: string; note: string }) {
  return (
    <div className="mt-3 rounded border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950/40">
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input
        id={id}
        readOnly
        dir="ltr"
        value={value}
        className="input font-mono text-xs"
        onFocus={(e) => e.target.select()}
      />
      <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{note}</p>
    </div>
  );
}

export function IntegrationsPanel({
  initial,
  rooms,
  roomId,
}: {
  initial: HookLists;
  rooms: HookRoom[];
  /** A room's page: hooks of this room only, created for it. */
  roomId?: string;
}) {
  const t = useTranslations("chat.integrations");
  const locale = useLocale();
  const fmt = useMemo(() => {
    const when = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" });
    return (iso: string | null) => (iso ? when.format(new Date(iso)) : "—");
  }, [locale]);
  const [incoming, setIncoming] = useState<IncomingHookView[]>(initial.incoming);
  const [outgoing, setOutgoing] = useState<OutgoingHookView[]>(initial.outgoing);
  const [newIncoming, setNewIncoming] = useState<CreatedIncomingHook>();
  const [newOutgoing, setNewOutgoing] = useState<CreatedOutgoingHook>();
  const [inError, setInError] = useState<string>();
  const [outError, setOutError] = useState<string>();
  const [listError, setListError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [log, setLog] = useState<{ hook: OutgoingHookView; deliveries: DeliveryView[] }>();

  async function createIncoming(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    setInError(undefined);
    const res = await apiFetch<{ hook: CreatedIncomingHook }>("/api/webhooks/incoming", {
      method: "POST",
      body: { roomId: roomId ?? String(data.get("roomId") ?? ""), name: String(data.get("name") ?? "") },
    });
    setBusy(false);
    if (!res.ok) return setInError(Object.values(res.fields ?? {})[0] ?? res.message);
    setInError(undefined);
    setNewIncoming(res.data.hook);
    setIncoming((l) => [res.data.hook, ...l]);
    form.reset();
  }

  async function regenerate(h: IncomingHookView) {
    const res = await apiFetch<{ hook: CreatedIncomingHook }>(`/api/webhooks/incoming/${h.id}/regenerate`, {
      method: "POST",
    });
    if (!res.ok) return setListError(res.message);
    setListError(undefined);
    setNewIncoming(res.data.hook);
    setIncoming((l) => l.map((x) => (x.id === h.id ? res.data.hook : x)));
  }

  async function revoke(h: IncomingHookView) {
    const res = await apiFetch<{ hook: IncomingHookView }>(`/api/webhooks/incoming/${h.id}`, {
      method: "DELETE",
    });
    if (!res.ok) return setListError(res.message);
    setListError(undefined);
    if (newIncoming?.id === h.id) setNewIncoming(undefined);
    setIncoming((l) => l.map((x) => (x.id === h.id ? res.data.hook : x)));
  }

  async function createOutgoing(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    setOutError(undefined);
    const res = await apiFetch<{ hook: CreatedOutgoingHook }>("/api/webhooks/outgoing", {
      method: "POST",
      body: {
        name: String(data.get("name") ?? ""),
        url: String(data.get("url") ?? ""),
        roomIds: roomId ? [roomId] : data.getAll("roomIds").map(String),
        triggerWords: splitTriggerWords(String(data.get("triggerWords") ?? "")),
      },
    });
    setBusy(false);
    if (!res.ok) return setOutError(Object.values(res.fields ?? {})[0] || res.message);
    setOutError(undefined);
    setNewOutgoing(res.data.hook);
    setOutgoing((l) => [res.data.hook, ...l]);
    form.reset();
  }

  async function remove(h: OutgoingHookView) {
    const res = await apiFetch<{ id: string }>(`/api/webhooks/outgoing/${h.id}`, { method: "DELETE" });
    if (!res.ok) return setListError(res.message);
    setListError(undefined);
    if (log?.hook.id === h.id) setLog(undefined);
    if (newOutgoing?.id === h.id) setNewOutgoing(undefined);
    setOutgoing((l) => l.filter((x) => x.id !== h.id));
  }

  async function openLog(h: OutgoingHookView) {
    const res = await apiFetch<{ deliveries: DeliveryView[] }>(`/api/webhooks/outgoing/${h.id}/deliveries`);
    if (!res.ok) return setListError(res.message);
    setListError(undefined);
    setLog({ hook: h, deliveries: res.data.deliveries });
  }

  const origin = typeof window === "undefined" ? "" : window.location.origin;

  return (
    <div className="space-y-8">
      {listError && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {listError}
        </p>
      )}
      <section aria-labelledby="incoming-title" className="space-y-3">
        <h2 id="incoming-title" className="font-semibold">
          {t("incoming.title")}
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("incoming.intro")}</p>
        <form onSubmit={createIncoming} className="flex flex-wrap items-end gap-3" noValidate>
          {!roomId && (
            <div>
              <label htmlFor="incoming-room" className="label">
                {t("incoming.room")}
              </label>
              <select id="incoming-room" name="roomId" className="input" required>
                {rooms.map((r) => (
                  <option key={r.id} value={r.id}>
                    # {r.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div>
            <label htmlFor="incoming-name" className="label">
              {t("incoming.name")}
            </label>
            <input
              id="incoming-name"
              name="name"
              className="input"
              maxLength={60}
              placeholder={t("incoming.namePlaceholder")}
            />
          </div>
          <button type="submit" className="btn-primary" disabled={busy}>
            {t("incoming.create")}
          </button>
        </form>
        {inError && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {inError}
          </p>
        )}
        {newIncoming && (
          <div data-testid="new-incoming-url">
            <Shown
              id="shown-webhook-url"
              label={t("incoming.url")}
              value={`${origin}${newIncoming.path}`}
              note={t("incoming.urlNote")}
            />
            <div className="mt-2">
              <CopyLinkButton path={newIncoming.path} label={t("incoming.copyUrl")} />
            </div>
            <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">{t("incoming.tryIt")}</p>
            {/* A command to copy, left-to-right in every language. */}
            <pre dir="ltr" className="overflow-x-auto rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-800">
              {/* i18n-exempt: a shell command with a sample payload, copied as it is */}
              {`curl -X POST -H 'Content-Type: application/json' \\\n  --data '{"text":"Hello from a webhook","attachments":[{"title":"Build 42","color":"good","fields":[{"title":"Branch","value":"main","short":true}]}]}' \\\n  ${origin}${newIncoming.path}`}
            </pre>
          </div>
        )}
        {incoming.length === 0 ? (
          <p className="text-sm text-zinc-500">{t("incoming.none")}</p>
        ) : (
          <table className="w-full text-start text-sm">
            <caption className="sr-only">{t("incoming.title")}</caption>
            <thead className="text-xs text-zinc-500 [&_th]:text-start">
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("incoming.room")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">{t("incoming.lastUsed")}</th>
                <th scope="col">
                  <span className="sr-only">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {incoming.map((h) => (
                <tr key={h.id} className="border-t border-zinc-200 dark:border-zinc-800">
                  <td className="py-1.5">
                    {h.name} <bdi className="text-xs text-zinc-500">@{h.bot.username}</bdi>
                  </td>
                  <td>
                    <bdi># {h.room.name}</bdi>
                  </td>
                  <td>{h.revoked ? t("incoming.revoked") : t("incoming.active")}</td>
                  <td>{fmt(h.lastUsedAt)}</td>
                  <td className="space-x-2 text-end">
                    <button
                      type="button"
                      className="btn-secondary"
                      aria-label={t("incoming.regenerateLabel", { name: h.name })}
                      onClick={() => void regenerate(h)}
                    >
                      {h.revoked ? t("incoming.newUrl") : t("incoming.regenerate")}
                    </button>
                    {!h.revoked && (
                      <button
                        type="button"
                        className="btn-ghost text-red-700 dark:text-red-400"
                        aria-label={t("incoming.revokeLabel", { name: h.name })}
                        onClick={() => void revoke(h)}
                      >
                        {t("incoming.revoke")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="outgoing-title" className="space-y-3">
        <h2 id="outgoing-title" className="font-semibold">
          {t("outgoing.title")}
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {t.rich("outgoing.intro", { code: (c) => <code>{c}</code> })}
        </p>
        <form onSubmit={createOutgoing} className="grid max-w-3xl gap-3 sm:grid-cols-2" noValidate>
          <div>
            <label htmlFor="outgoing-name" className="label">
              {t("outgoing.name")}
            </label>
            <input id="outgoing-name" name="name" className="input" maxLength={60} />
          </div>
          <div>
            <label htmlFor="outgoing-url" className="label">
              {t("outgoing.url")}
            </label>
            <input
              id="outgoing-url"
              name="url"
              type="url"
              className="input"
              placeholder="https://example.com/beacon"
            />
          </div>
          {!roomId && (
            <div>
              <label htmlFor="outgoing-rooms" className="label">
                {t("outgoing.rooms")}
              </label>
              <select
                id="outgoing-rooms"
                name="roomIds"
                multiple
                size={Math.min(6, Math.max(3, rooms.length))}
                className="input"
              >
                {rooms.map((r) => (
                  <option key={r.id} value={r.id}>
                    # {r.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div>
            <label htmlFor="outgoing-triggers" className="label">
              {t("outgoing.triggerWords")}
            </label>
            <input
              id="outgoing-triggers"
              name="triggerWords"
              className="input"
              // Isolated left to right (U+2066…U+2069): a right-to-left page keeps the "!" in front.
              // i18n-exempt: example trigger words, typed as they are in every language
              placeholder={"\u2066!deploy, !status\u2069"}
              aria-describedby="outgoing-triggers-hint"
            />
            <p id="outgoing-triggers-hint" className="mt-1 text-xs text-zinc-500">
              {t("outgoing.triggerWordsHint")}
            </p>
          </div>
          <div className="sm:col-span-2">
            <button type="submit" className="btn-primary" disabled={busy}>
              {t("outgoing.create")}
            </button>
          </div>
        </form>
        {outError && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {outError}
          </p>
        )}
        {newOutgoing && (
          <Shown
            id="shown-signing-secret"
            label={t("outgoing.secret")}
            value={newOutgoing.secret}
            note={t("outgoing.secretNote")}
          />
        )}
        {outgoing.length === 0 ? (
          <p className="text-sm text-zinc-500">{t("outgoing.none")}</p>
        ) : (
          <table className="w-full text-start text-sm">
            <caption className="sr-only">{t("outgoing.title")}</caption>
            <thead className="text-xs text-zinc-500 [&_th]:text-start">
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("outgoing.urlColumn")}</th>
                <th scope="col">{t("outgoing.roomsColumn")}</th>
                <th scope="col">{t("outgoing.triggerWordsColumn")}</th>
                <th scope="col">{t("outgoing.queue")}</th>
                <th scope="col">
                  <span className="sr-only">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {outgoing.map((h) => (
                <tr key={h.id} className="border-t border-zinc-200 dark:border-zinc-800">
                  <td className="py-1.5">{h.name}</td>
                  <td className="max-w-xs truncate font-mono text-xs">{h.url}</td>
                  <td>{h.rooms.map((r) => `# ${r.name}`).join(", ")}</td>
                  <td>{h.triggerWords.join(" ") || t("outgoing.anyMessage")}</td>
                  <td>{t("outgoing.queueCounts", { pending: h.pending, failed: h.failed })}</td>
                  <td className="space-x-2 text-end">
                    <button
                      type="button"
                      className="btn-secondary"
                      aria-label={t("outgoing.logLabel", { name: h.name })}
                      onClick={() => void openLog(h)}
                    >
                      {t("outgoing.log")}
                    </button>
                    <button
                      type="button"
                      className="btn-ghost text-red-700 dark:text-red-400"
                      aria-label={t("outgoing.deleteLabel", { name: h.name })}
                      onClick={() => void remove(h)}
                    >
                      {t("outgoing.delete")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {log && (
          <section
            aria-labelledby="delivery-log-title"
            className="rounded border border-zinc-200 p-3 dark:border-zinc-800"
          >
            <div className="flex items-center justify-between">
              <h3 id="delivery-log-title" className="font-medium">
                {t("log.title", { name: log.hook.name })}
              </h3>
              <div className="space-x-2">
                <button type="button" className="btn-secondary" onClick={() => void openLog(log.hook)}>
                  {t("log.refresh")}
                </button>
                <button type="button" className="btn-ghost" onClick={() => setLog(undefined)}>
                  {t("log.close")}
                </button>
              </div>
            </div>
            {log.deliveries.length === 0 ? (
              <p className="text-sm text-zinc-500">{t("log.empty")}</p>
            ) : (
              <table className="mt-2 w-full text-start text-xs">
                <caption className="sr-only">{t("log.caption", { name: log.hook.name })}</caption>
                <thead className="text-zinc-500 [&_th]:text-start">
                  <tr>
                    <th scope="col">{t("status")}</th>
                    <th scope="col">{t("log.time")}</th>
                    <th scope="col">{t("log.attempts")}</th>
                    <th scope="col">{t("log.lastResponse")}</th>
                    <th scope="col">{t("log.message")}</th>
                    <th scope="col">{t("log.webhookId")}</th>
                  </tr>
                </thead>
                <tbody>
                  {log.deliveries.map((d) => (
                    <tr
                      key={d.id}
                      data-testid="delivery"
                      className="border-t border-zinc-200 dark:border-zinc-800"
                    >
                      <td className="py-1">
                        <span className={`rounded px-1.5 py-0.5 ${STATUS_CLASS[d.status]}`}>
                          {t(`log.status.${d.status}`)}
                        </span>
                      </td>
                      <td>
                        {fmt(d.createdAt)}
                        {d.nextAttemptAt && (
                          <div className="text-zinc-500">
                            {t("log.nextTry", { time: fmt(d.nextAttemptAt) })}
                          </div>
                        )}
                      </td>
                      <td>{d.attempts}</td>
                      <td>{[d.lastStatusCode ?? "", d.lastError].filter(Boolean).join(" · ") || "—"}</td>
                      <td className="max-w-48 truncate">{d.snippet}</td>
                      <td className="font-mono">{d.id}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
      </section>
    </div>
  );
}

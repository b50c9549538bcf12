"use client";
// Webhooks, for the admin console's Integrations tab (every room) and a room's Integrations page
// (that room only): incoming hooks (create → the URL shown once with Copy and a curl example;
// regenerate; revoke), outgoing hooks (create → the signing secret shown once; delete) and each
// outgoing hook's delivery log.
import { type FormEvent, useState } from "react";
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

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" });
const fmt = (iso: string | null) => (iso ? when.format(new Date(iso)) : "—");

const STATUS_CLASS: Record<DeliveryView["status"], string> = {
  pending: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  delivered: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  failed: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};

function Shown({ label, value, note }: { label: string; value: string; note: string }) {
  const id = `shown-${label.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <div className="mt-3 rounded border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950/40">
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input
        id={id}
        readOnly
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
          Incoming webhooks
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A secret URL that posts messages into a room as a bot. Accepts Slack-style payloads.
        </p>
        <form onSubmit={createIncoming} className="flex flex-wrap items-end gap-3" noValidate>
          {!roomId && (
            <div>
              <label htmlFor="incoming-room" className="label">
                Room
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
              Incoming webhook name
            </label>
            <input id="incoming-name" name="name" className="input" maxLength={60} placeholder="Deploys" />
          </div>
          <button type="submit" className="btn-primary" disabled={busy}>
            Create incoming webhook
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
              label="Webhook URL"
              value={`${origin}${newIncoming.path}`}
              note="Copy it now: it is shown only this once. Anyone with the URL can post to the room."
            />
            <div className="mt-2">
              <CopyLinkButton path={newIncoming.path} label="Copy URL" />
            </div>
            <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">Try it:</p>
            <pre className="overflow-x-auto rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-800">
              {`curl -X POST -H 'Content-Type: application/json' \\\n  --data '{"text":"Hello from a webhook","attachments":[{"title":"Build 42","color":"good","fields":[{"title":"Branch","value":"main","short":true}]}]}' \\\n  ${origin}${newIncoming.path}`}
            </pre>
          </div>
        )}
        {incoming.length === 0 ? (
          <p className="text-sm text-zinc-500">No incoming webhooks yet.</p>
        ) : (
          <table className="w-full text-start text-sm">
            <caption className="sr-only">Incoming webhooks</caption>
            <thead className="text-xs text-zinc-500">
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Room</th>
                <th scope="col">Status</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {incoming.map((h) => (
                <tr key={h.id} className="border-t border-zinc-200 dark:border-zinc-800">
                  <td className="py-1.5">
                    {h.name} <span className="text-xs text-zinc-500">@{h.bot.username}</span>
                  </td>
                  <td># {h.room.name}</td>
                  <td>{h.revoked ? "Revoked" : "Active"}</td>
                  <td>{fmt(h.lastUsedAt)}</td>
                  <td className="space-x-2 text-end">
                    <button
                      type="button"
                      className="btn-secondary"
                      aria-label={`Regenerate URL of ${h.name}`}
                      onClick={() => void regenerate(h)}
                    >
                      {h.revoked ? "New URL" : "Regenerate URL"}
                    </button>
                    {!h.revoked && (
                      <button
                        type="button"
                        className="btn-ghost text-red-700 dark:text-red-400"
                        aria-label={`Revoke ${h.name}`}
                        onClick={() => void revoke(h)}
                      >
                        Revoke
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
          Outgoing webhooks
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Messages in the chosen rooms are sent, signed (Standard Webhooks), to your URL. A JSON answer with
          <code> text </code>
          posts a reply.
        </p>
        <form onSubmit={createOutgoing} className="grid max-w-3xl gap-3 sm:grid-cols-2" noValidate>
          <div>
            <label htmlFor="outgoing-name" className="label">
              Outgoing webhook name
            </label>
            <input id="outgoing-name" name="name" className="input" maxLength={60} />
          </div>
          <div>
            <label htmlFor="outgoing-url" className="label">
              Receiver URL
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
                Rooms to watch
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
              Trigger words (optional)
            </label>
            <input
              id="outgoing-triggers"
              name="triggerWords"
              className="input"
              placeholder="!deploy, !status"
              aria-describedby="outgoing-triggers-hint"
            />
            <p id="outgoing-triggers-hint" className="mt-1 text-xs text-zinc-500">
              Only messages whose first word is one of these. Empty: every message.
            </p>
          </div>
          <div className="sm:col-span-2">
            <button type="submit" className="btn-primary" disabled={busy}>
              Create outgoing webhook
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
            label="Signing secret"
            value={newOutgoing.secret}
            note="Copy it now: it is shown only this once. Your receiver verifies the webhook-signature header with it."
          />
        )}
        {outgoing.length === 0 ? (
          <p className="text-sm text-zinc-500">No outgoing webhooks yet.</p>
        ) : (
          <table className="w-full text-start text-sm">
            <caption className="sr-only">Outgoing webhooks</caption>
            <thead className="text-xs text-zinc-500">
              <tr>
                <th scope="col">Name</th>
                <th scope="col">URL</th>
                <th scope="col">Rooms</th>
                <th scope="col">Trigger words</th>
                <th scope="col">Queue</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {outgoing.map((h) => (
                <tr key={h.id} className="border-t border-zinc-200 dark:border-zinc-800">
                  <td className="py-1.5">{h.name}</td>
                  <td className="max-w-xs truncate font-mono text-xs">{h.url}</td>
                  <td>{h.rooms.map((r) => `# ${r.name}`).join(", ")}</td>
                  <td>{h.triggerWords.join(" ") || "any message"}</td>
                  <td>
                    {h.pending} pending · {h.failed} failed
                  </td>
                  <td className="space-x-2 text-end">
                    <button
                      type="button"
                      className="btn-secondary"
                      aria-label={`Delivery log of ${h.name}`}
                      onClick={() => void openLog(h)}
                    >
                      Delivery log
                    </button>
                    <button
                      type="button"
                      className="btn-ghost text-red-700 dark:text-red-400"
                      aria-label={`Delete ${h.name}`}
                      onClick={() => void remove(h)}
                    >
                      Delete
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
                Delivery log: {log.hook.name}
              </h3>
              <div className="space-x-2">
                <button type="button" className="btn-secondary" onClick={() => void openLog(log.hook)}>
                  Refresh log
                </button>
                <button type="button" className="btn-ghost" onClick={() => setLog(undefined)}>
                  Close log
                </button>
              </div>
            </div>
            {log.deliveries.length === 0 ? (
              <p className="text-sm text-zinc-500">Nothing sent yet.</p>
            ) : (
              <table className="mt-2 w-full text-start text-xs">
                <caption className="sr-only">Deliveries of {log.hook.name}</caption>
                <thead className="text-zinc-500">
                  <tr>
                    <th scope="col">Status</th>
                    <th scope="col">Time</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Last response</th>
                    <th scope="col">Message</th>
                    <th scope="col">Webhook id</th>
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
                        <span className={`rounded px-1.5 py-0.5 ${STATUS_CLASS[d.status]}`}>{d.status}</span>
                      </td>
                      <td>
                        {fmt(d.createdAt)}
                        {d.nextAttemptAt && (
                          <div className="text-zinc-500">next try {fmt(d.nextAttemptAt)}</div>
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

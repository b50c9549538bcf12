// A plain WebSocket API client for tests (the `ws` package): frames in, frames out, acks by id.
import WebSocket from "ws";
import { WS_API_PATH } from "@/lib/realtime/server/ws-api";

export interface WsAck<T = unknown> {
  id: string | number | null;
  ok: boolean;
  data?: T;
  error?: { code: string; message: string };
}

export interface WsTestClient {
  ws: WebSocket;
  /** Every push received so far ({event, data}), in order. */
  pushes: { event: string; data: unknown }[];
  request<T = unknown>(event: string, data?: unknown): Promise<WsAck<T>>;
  nextPush<T = unknown>(event: string, ms?: number, where?: (data: T) => boolean): Promise<T>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

let seq = 0;

export function wsUrl(httpUrl: string, query = ""): string {
  return `${httpUrl.replace(/^http/, "ws")}${WS_API_PATH}${query}`;
}

export function openWs(url: string, opts: { headers?: Record<string, string> } = {}): WsTestClient {
  const ws = new WebSocket(url, { headers: opts.headers });
  const pushes: { event: string; data: unknown }[] = [];
  const waiting = new Map<string | number, (a: WsAck) => void>();
  const listeners = new Set<(p: { event: string; data: unknown }) => void>();
  ws.on("message", (raw) => {
    const f = JSON.parse(String(raw)) as WsAck & { event?: string; data?: unknown };
    if (f.event) {
      const p = { event: f.event, data: f.data };
      pushes.push(p);
      for (const l of [...listeners]) l(p);
      return;
    }
    if (f.id !== null && f.id !== undefined) waiting.get(f.id)?.(f);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  opened.catch(() => {});
  return {
    ws,
    pushes,
    closed,
    async request<T>(event: string, data?: unknown): Promise<WsAck<T>> {
      await opened;
      const id = `r${++seq}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to ${event} within 5 s`)), 5000);
        waiting.set(id, (a) => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve(a as WsAck<T>);
        });
        ws.send(JSON.stringify({ id, event, data }));
      });
    },
    nextPush<T>(event: string, ms = 3000, where?: (data: T) => boolean): Promise<T> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(l);
          reject(new Error(`no ${event} push within ${ms} ms`));
        }, ms);
        const l = (p: { event: string; data: unknown }) => {
          if (p.event !== event || (where && !where(p.data as T))) return;
          clearTimeout(timer);
          listeners.delete(l);
          resolve(p.data as T);
        };
        listeners.add(l);
      });
    },
    close: () => ws.close(),
  };
}

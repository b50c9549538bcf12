// fetch() for Beacon's JSON API: returns {ok,data} or {ok:false,message,fields}, never throws. The
// server's own error sentence is passed on; the client's own (no answer, no readable answer) is in the
// page's language.
import { clientT } from "@/app/_lib/client-translator";

export type ApiResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; code: string; message: string; fields?: Record<string, string> };

export async function apiFetch<T>(
  url: string,
  init: { method?: string; body?: unknown } = {},
): Promise<ApiResult<T>> {
  try {
    const res = await fetch(url, {
      method: init.method ?? "GET",
      headers: init.body !== undefined ? { "content-type": "application/json" } : undefined,
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    const body = (await res.json().catch(() => null)) as
      | (T & { error?: { code: string; message: string; fields?: Record<string, string[]> } })
      | null;
    if (res.ok && body) return { ok: true, data: body };
    const err = body?.error;
    const fields = err?.fields
      ? Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v[0] ?? ""]))
      : undefined;
    return {
      ok: false,
      status: res.status,
      code: err?.code ?? "internal",
      message: err?.message ?? clientT("api.requestFailed", { status: String(res.status) }),
      fields,
    };
  } catch {
    return {
      ok: false,
      status: 0,
      code: "offline",
      message: clientT("api.offline"),
    };
  }
}

// One multipart upload with progress and cancel (fetch has no upload progress: XMLHttpRequest).
// Fields go in the order given, so the server reads `roomId` before the file's bytes arrive. The
// answer is parsed like apiFetch's: `{ok:true,data}` or `{ok:false,message}` with the server's own
// readable error; a connection cut short (the server refused a too-large file mid-stream and closed)
// says so instead of a bare "failed".
import { clientT } from "@/app/_lib/client-translator";
import type { ApiResult } from "./api";

export interface Upload<T> {
  result: Promise<ApiResult<T> | { ok: false; status: 0; code: "aborted"; message: string }>;
  abort(): void;
}

export function upload<T>(
  url: string,
  fields: [name: string, value: string | Blob, filename?: string][],
  onProgress?: (fraction: number) => void,
): Upload<T> {
  const xhr = new XMLHttpRequest();
  const form = new FormData();
  for (const [name, value, filename] of fields) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, value, filename);
  }
  const result = new Promise<Awaited<Upload<T>["result"]>>((resolve) => {
    xhr.open("POST", url);
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: (T & { error?: { code: string; message: string } }) | null = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve({ ok: true, data: body });
      resolve({
        ok: false,
        status: xhr.status,
        code: body?.error?.code ?? "internal",
        message:
          body?.error?.message ??
          (xhr.status === 413
            ? clientT("upload.tooLarge")
            : clientT("upload.failed", { status: String(xhr.status) })),
      });
    };
    xhr.onerror = () =>
      resolve({
        ok: false,
        status: 0,
        code: "offline",
        message: navigator.onLine ? clientT("upload.cutOff") : clientT("upload.offline"),
      });
    xhr.onabort = () =>
      resolve({ ok: false, status: 0, code: "aborted", message: clientT("upload.cancelled") });
    xhr.send(form);
  });
  return { result, abort: () => xhr.abort() };
}

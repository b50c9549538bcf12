// A real node:http server on a free loopback port, and raw requests to it: node:http sends the path
// as written, where fetch would normalize it (`/./api`, `//api`, percent-encoded dots).
import { createServer, type RequestListener, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

export async function rawServer(listener: RequestListener) {
  const server = createServer(listener);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<RawResponse>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on("error", reject);
      req.end(body);
    });
  const close = () => new Promise<void>((r) => server.close(() => r()));
  return { port, send, close };
}

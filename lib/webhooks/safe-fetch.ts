// Requests to URLs that users configure (outgoing webhooks, slash commands): an SSRF guard.
// Without it, anyone allowed to create a hook could make Beacon's server call its own database,
// Redis, a cloud metadata endpoint (169.254.169.254) or anything else on the private network, and
// read the answer back through the delivery log or a command's reply.
//
// - Only http: and https:, no credentials in the URL, no redirects followed (a 3xx is a failure).
// - Every address the host name resolves to is checked *at connect time* (the socket's own DNS
//   lookup is wrapped), so a name that resolves to a public address when checked and to 127.0.0.1
//   when connecting (DNS rebinding) is still refused.
// - Private, loopback, link-local, CGNAT, multicast and reserved ranges (IPv4 and IPv6, including
//   IPv4-mapped IPv6) are refused unless the URL's host (or host:port) is in WEBHOOK_ALLOW_HOSTS.
// - Bounded: a timeout for the whole request and a cap on the response body read.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const blocked = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  blocked.addSubnet(net, bits, "ipv6");

/** Whether an address is private, loopback, link-local or otherwise not a public internet address. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) return true; // not an address at all: refuse
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return blocked.check(mapped[1], "ipv4");
  return blocked.check(address, "ipv6");
}

/** The allow-list of WEBHOOK_ALLOW_HOSTS, lower-cased: "host" or "host:port" entries. */
function allowList(): Set<string> {
  return new Set(
    (env().WEBHOOK_ALLOW_HOSTS ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

function allowed(url: URL): boolean {
  const list = allowList();
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return list.has(host) || list.has(`${host}:${port}`) || list.has(`[${host}]:${port}`);
}

/**
 * Check a URL a user typed before storing it: a readable 400 for a malformed or refused one. The
 * host's addresses are checked again on every request (safeFetch), since DNS can change.
 */
export async function checkOutboundUrl(raw: string, field = "url"): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("bad_request", `${field}: not a URL`, { fields: { [field]: ["Not a URL"] } });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new AppError("bad_request", `${field}: only http and https URLs`, {
      fields: { [field]: ["Only http:// and https:// URLs"] },
    });
  if (url.username || url.password)
    throw new AppError("bad_request", `${field}: no user name or password in the URL`, {
      fields: { [field]: ["Remove the user name and password from the URL"] },
    });
  if (allowed(url)) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host)
    ? [host]
    : await new Promise<string[]>((resolve) =>
        dnsLookup(host, { all: true }, (err, list) => resolve(err ? [] : list.map((a) => a.address))),
      );
  if (addresses.length === 0)
    throw new AppError("bad_request", `${field}: the host name does not resolve`, {
      fields: { [field]: ["The host name does not resolve"] },
    });
  if (addresses.some(isPrivateAddress))
    throw new AppError(
      "bad_request",
      `${field}: private, loopback and link-local addresses are refused (an admin can allow a host with WEBHOOK_ALLOW_HOSTS)`,
      { fields: { [field]: ["Private, loopback and link-local addresses are refused"] } },
    );
  return url;
}

export interface SafeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body, at most `maxBytes` (the rest is dropped). */
  body: string;
}

/** Why a request did not get an HTTP answer (for a delivery log). */
export class OutboundError extends Error {
  constructor(
    message: string,
    readonly code: "refused_address" | "timeout" | "network" | "bad_url",
  ) {
    super(message);
  }
}

/**
 * POST (or any method) to a user-configured URL with the SSRF guard. Resolves with the response
 * (any status, never following redirects); rejects with an OutboundError when no answer came.
 */
export function safeFetch(
  raw: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs?: number;
    maxBytes?: number;
  },
): Promise<SafeResponse> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return Promise.reject(new OutboundError("not a URL", "bad_url"));
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password)
    return Promise.reject(new OutboundError("only plain http(s) URLs", "bad_url"));
  const skipCheck = allowed(url);
  const maxBytes = init.maxBytes ?? 64 * 1024;
  // The connection's own lookup: every resolved address is checked right before connecting.
  const lookup = (
    hostname: string,
    options: { all?: boolean },
    cb: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { all: true }, (err, list) => {
      if (err) return cb(err, "", 0);
      const bad = !skipCheck && list.some((a) => isPrivateAddress(a.address));
      if (bad)
        return cb(
          Object.assign(new Error(`${hostname} resolves to a private address`), { code: "EREFUSED_ADDRESS" }),
          "",
          0,
        );
      if (options.all) return cb(null, list);
      const first = list[0];
      cb(null, first?.address ?? "", first?.family ?? 4);
    });
  };
  return new Promise((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (!skipCheck && isIP(host) && isPrivateAddress(host))
      return reject(new OutboundError(`${host} is a private address`, "refused_address"));
    const body = init.body ?? "";
    let expired = false;
    const req = (url.protocol === "https:" ? https : http).request(
      url,
      {
        method: init.method ?? "POST",
        headers: {
          "user-agent": "Beacon-Webhooks/1",
          ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}),
          ...init.headers,
        },
        lookup: lookup as never,
        // A fresh connection per request: a kept-alive one would turn `timeout` into an idle timer that
        // a reused socket has partly spent, and would skip the address check of a new connect.
        agent: false,
        timeout: init.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < maxBytes) chunks.push(c.subarray(0, maxBytes - size));
          size += c.length;
          if (size > maxBytes) res.destroy();
        });
        const done = () =>
          expired
            ? reject(new OutboundError("no complete answer in time", "timeout"))
            : resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks).toString("utf8"),
              });
        res.on("end", done);
        res.on("close", done);
        res.on("error", done);
      },
    );
    // `timeout` is Node's idle timer (no byte for that long); the deadline bounds the whole exchange,
    // so a receiver that trickles a byte now and then cannot hold a delivery (and its worker) for ever.
    const deadline = setTimeout(() => {
      expired = true;
      req.destroy(new OutboundError("no complete answer in time", "timeout"));
    }, init.timeoutMs ?? 10_000);
    req.on("close", () => clearTimeout(deadline));
    req.on("timeout", () => req.destroy(new OutboundError("no answer in time", "timeout")));
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err instanceof OutboundError) return reject(err);
      if (err.code === "EREFUSED_ADDRESS") return reject(new OutboundError(err.message, "refused_address"));
      reject(new OutboundError(err.message, "network"));
    });
    req.end(body);
  });
}

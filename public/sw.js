// Beacon's service worker (registered by app/_components/service-worker.tsx in production builds).
// It keeps two things and nothing else:
// - the offline shell (/offline, fetched without cookies, so it holds nobody's data), shown when a
//   page cannot be reached;
// - Next's immutable build assets (/_next/static/*: content-hashed file names), cache-first.
// Pages are always fetched from the network (they carry the person's data and must be fresh); API
// answers, Socket.IO, webhooks and file downloads are never touched. The caches are named after the
// build (?v=<build id> on the script URL); activating a new build's worker deletes the old ones.
const VERSION = new URL(self.location.href).searchParams.get("v") || "0";
const SHELL_CACHE = `beacon-shell-${VERSION}`;
const STATIC_CACHE = `beacon-static-${VERSION}`;
const OFFLINE_URL = "/offline";
/** Never answered by the worker, even for a navigation (downloads open as navigations). */
const PASS_THROUGH = /^\/(api|hooks|socket\.io)(\/|$)/;
/** The build's asset URLs in the offline page (script and stylesheet tags, the RSC payload). */
const ASSET_URL = /\/_next\/static\/[^"'\s\\)]+/g;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const res = await fetch(OFFLINE_URL, { cache: "no-store", credentials: "omit" });
      if (!res.ok) throw new Error(`The offline page answered ${res.status}`);
      const html = await res.clone().text();
      await (await caches.open(SHELL_CACHE)).put(OFFLINE_URL, res);
      // What the shell needs to render and hydrate (its Retry button), so it works with no network.
      const assets = [...new Set(html.match(ASSET_URL) ?? [])];
      await (await caches.open(STATIC_CACHE)).addAll(assets);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, STATIC_CACHE]);
      for (const name of await caches.keys()) {
        if (name.startsWith("beacon-") && !keep.has(name)) await caches.delete(name);
      }
      // No navigation preload: for a navigation the worker passes through (an OAuth callback under
      // /api/auth), Chromium would send the preloaded request and then the request itself, twice.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || PASS_THROUGH.test(url.pathname)) return;
  if (url.pathname.startsWith("/_next/static/")) {
    event.respondWith(cacheFirst(event));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(event));
  }
  // Anything else (RSC requests of client-side navigations, icons, the manifest) goes to the
  // network as if there were no worker.
});

/** Network only; the offline shell when the network (or Beacon) cannot be reached. Never cached. */
async function networkFirst(event) {
  try {
    return await fetch(event.request);
  } catch {
    const shell = await caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE });
    return shell ?? Response.error();
  }
}

/** Build assets never change under one URL: the cached copy, else the network (then kept). */
async function cacheFirst(event) {
  const cache = await caches.open(STATIC_CACHE);
  const hit = await cache.match(event.request);
  if (hit) return hit;
  const res = await fetch(event.request);
  if (res.ok && res.type === "basic") event.waitUntil(cache.put(event.request, res.clone()));
  return res;
}

// The web app manifest, /manifest.webmanifest: what Chromium, Edge and Android need to install
// Beacon as an app. Icons come from scripts/make-icons.ts. A route rather than Next's app/manifest.ts
// convention, whose link Next streams into <body>, where Chromium does not look (it reads <head>
// only): the root layout links it in <head> itself, once.
import type { MetadataRoute } from "next";

export const dynamic = "force-static";

const MANIFEST: MetadataRoute.Manifest = {
  id: "/",
  name: "Beacon",
  short_name: "Beacon",
  description: "Self-hosted team chat",
  start_url: "/",
  scope: "/",
  display: "standalone",
  // The manifest takes one colour each; the pages' <meta name="theme-color"> follow light/dark.
  theme_color: "#4f46e5",
  background_color: "#ffffff",
  icons: [
    { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
    { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
    { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
  ],
};

export function GET(): Response {
  return new Response(JSON.stringify(MANIFEST), {
    headers: { "content-type": "application/manifest+json", "cache-control": "public, max-age=3600" },
  });
}

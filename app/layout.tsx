// Root layout: no external fonts or CDNs; dark mode follows the system.
import type { Metadata, Viewport } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { buildId } from "@/lib/build-id";
import { directionOf, isLocale } from "@/lib/i18n/locales";
import { getWorkspaceSettings } from "@/lib/workspace/settings.service";
import { ClientTranslations } from "./_components/client-translations";
import { ServiceWorker } from "./_components/service-worker";
import "./globals.css";

// Every page is rendered per request, so each gets its own CSP nonce (see proxy.ts).
export const dynamic = "force-dynamic";

/** The page title carries the workspace's name (admin setting); "Beacon" if it cannot be read. */
export async function generateMetadata(): Promise<Metadata> {
  const name = await getWorkspaceSettings()
    .then((w) => w.name)
    .catch(() => "Beacon");
  const t = await getTranslations("common");
  return {
    title: { default: name, template: `%s · ${name}` },
    description: t("appDescription"),
    // For iOS, which reads its own tags rather than the manifest.
    icons: { apple: "/apple-touch-icon.png" },
    appleWebApp: { capable: true, title: "Beacon", statusBarStyle: "default" },
  };
}

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale} dir={directionOf(isLocale(locale) ? locale : "en")}>
      <head>
        {/* Here, not in the metadata: Next streams that into <body>, where Chromium does not look
            for the manifest (app/manifest.webmanifest/route.ts). */}
        <link rel="manifest" href="/manifest.webmanifest" />
      </head>
      <body>
        <NextIntlClientProvider>
          <ClientTranslations />
          {children}
          <ServiceWorker version={buildId()} />
        </NextIntlClientProvider>
      </body>
    </html>
  );
}

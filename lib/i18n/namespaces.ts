// The message catalogs: one JSON file per namespace and language under lib/i18n/messages/<locale>/.
// Every language has exactly the same keys (tests/i18n.test.ts); English is the source.
import type { Locale } from "./locales";

export const NAMESPACES = ["common", "errors", "auth", "chat", "room", "settings", "admin", "pages"] as const;
export type Namespace = (typeof NAMESPACES)[number];
export type Messages = Record<Namespace, Record<string, unknown>>;

export async function loadMessages(locale: Locale): Promise<Messages> {
  const entries = await Promise.all(
    NAMESPACES.map(async (ns) => {
      const mod = (await import(`./messages/${locale}/${ns}.json`)) as { default: Record<string, unknown> };
      return [ns, mod.default] as const;
    }),
  );
  return Object.fromEntries(entries) as Messages;
}

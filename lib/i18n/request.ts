// next-intl's per-request configuration (wired in next.config.mjs): the language of this request
// and its messages. Server components read them with getTranslations(), client components with
// useTranslations() under the root layout's NextIntlClientProvider.
import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE, resolveLocale } from "./locales";
import { loadMessages } from "./namespaces";

export default getRequestConfig(async () => {
  const [jar, head] = await Promise.all([cookies(), headers()]);
  const locale = resolveLocale(jar.get(LOCALE_COOKIE)?.value, head.get("accept-language"));
  return { locale, messages: await loadMessages(locale) };
});

"use client";
// Brings this device in step with the language saved on the account (lib/i18n/locales.ts). The chat
// layout renders it only when the account's choice and this request's cookie differ: it sets (or
// clears) the cookie and renders the page anew, once. With cookies blocked it leaves the page as it
// is rather than refresh in a loop.
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { LOCALE_COOKIE, type Locale, localeCookie } from "@/lib/i18n/locales";

function cookieLocale(): string {
  const pair = document.cookie.split("; ").find((c) => c.startsWith(`${LOCALE_COOKIE}=`));
  return pair ? pair.slice(LOCALE_COOKIE.length + 1) : "";
}

export function LocaleSync({ locale }: { locale: Locale | "" }) {
  const router = useRouter();
  useEffect(() => {
    // biome-ignore lint/suspicious/noDocumentCookie: one fixed cookie built by localeCookie; the Cookie Store API is not in every browser Beacon supports
    document.cookie = localeCookie(locale);
    if (cookieLocale() === locale) router.refresh();
  }, [locale, router]);
  return null;
}

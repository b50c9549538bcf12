"use client";
// Gives the browser-side helpers outside React (app/_lib/client-translator.ts) the page's language.
import { useTranslations } from "next-intl";
import { setClientTranslator } from "../_lib/client-translator";

export function ClientTranslations() {
  const t = useTranslations("chat");
  // During render, not in an effect: the tree's own effects may already fetch (and fail).
  if (typeof window !== "undefined") setClientTranslator((key, values) => t(key, values));
  return null;
}

// The API's error sentences ({error:{code,message}}, next-auth's sign-in step) are English by design:
// they are the API's words. A page that shows one to a person translates it when it is a sentence
// the catalog knows: the "errors" namespace's `api.*` messages, whose English text is exactly the
// server's (tests/i18n-api-text.test.ts keeps them in step). Anything else is shown as sent.
import { useTranslations } from "next-intl";
import en from "./messages/en/errors.json";

const KEY_BY_TEXT = new Map<string, string>(
  Object.entries(en.api).map(([key, text]) => [text, `api.${key}`]),
);

/**
 * The "errors" key for an English API sentence, or undefined. A validation message may carry the
 * field it is about ("code: Enter the 6-digit code…", lib/errors.ts parseOrThrow): the sentence counts.
 */
export function apiTextKey(message: string): string | undefined {
  return KEY_BY_TEXT.get(message) ?? KEY_BY_TEXT.get(message.replace(/^[A-Za-z][\w.]*: /, ""));
}

/** In a component: the API sentence in the page's language when the catalog knows it, else as is. */
export function useApiText(): (message: string) => string {
  const t = useTranslations("errors");
  return (message) => {
    const key = apiTextKey(message);
    return key ? t(key) : message;
  };
}

// Words for the plain functions that run in the browser outside React (apiFetch, upload,
// signOutHere): they cannot call useTranslations, so <ClientTranslations /> (in the root layout,
// inside the intl provider) hands them the "chat" translator of the page's language here. It is
// set while the tree renders, so before any effect or click can ask for a sentence.
type Values = Record<string, string | number>;
type Translate = (key: string, values?: Values) => string;

let current: Translate | undefined;

export function setClientTranslator(t: Translate): void {
  current = t;
}

/** A "chat" message in the page's language; the bare key only if nothing was set (never in the app). */
export function clientT(key: string, values?: Values): string {
  return current ? current(key, values) : key;
}

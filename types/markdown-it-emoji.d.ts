// markdown-it-emoji ships no types.
declare module "markdown-it-emoji" {
  import type MarkdownIt from "markdown-it";

  type Plugin = (
    md: MarkdownIt,
    options?: { defs?: Record<string, string>; shortcuts?: Record<string, string | string[]> },
  ) => void;
  export const bare: Plugin;
  export const light: Plugin;
  export const full: Plugin;
}
declare module "markdown-it-emoji/lib/data/full.mjs" {
  const emojies: Record<string, string>;
  export default emojies;
}

// Message formatting: a safe Markdown subset rendered by markdown-it with raw HTML disabled (every
// "<" in a message is escaped by the parser, not by our regexes): bold, italic, ~~strike~~, `code`,
// fenced code, quotes, lists, autolinked URLs, :shortcode: emoji and @mentions.
import MarkdownIt from "markdown-it";
import { full as emoji } from "markdown-it-emoji";

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false })
  .disable(["image", "heading", "lheading", "table", "hr", "reference", "html_block", "html_inline"])
  .use(emoji);

// @mentions: a token of their own, so they are never confused with text that looks like HTML.
md.inline.ruler.push("mention", (state, silent) => {
  const src = state.src;
  const pos = state.pos;
  if (src.charCodeAt(pos) !== 0x40 /* @ */) return false;
  const prev = pos > 0 ? src[pos - 1] : "";
  if (prev && /[\p{L}\p{N}_@.]/u.test(prev)) return false; // e-mail addresses are not mentions
  const m = /^@([a-z0-9_.-]{3,32})/i.exec(src.slice(pos));
  if (!m?.[1]) return false;
  const name = m[1].replace(/[.-]+$/, "");
  if (name.length < 3) return false;
  if (!silent) {
    const token = state.push("mention", "", 0);
    token.content = name.toLowerCase();
  }
  state.pos += name.length + 1;
  return true;
});
md.renderer.rules.mention = (tokens, idx, _opts, env) => {
  const name = md.utils.escapeHtml(tokens[idx]?.content ?? "");
  const me = (env as { me?: readonly string[] } | undefined)?.me;
  const mine = me?.includes(tokens[idx]?.content ?? "") === true;
  return `<span class="mention${mine ? " mention-me" : ""}" data-username="${name}">@${name}</span>`;
};

md.linkify.set({ fuzzyEmail: false, fuzzyLink: true });

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, opts, _env, self) => self.renderToken(tokens, idx, opts));
md.renderer.rules.link_open = (tokens, idx, opts, env, self) => {
  const token = tokens[idx];
  token?.attrSet("target", "_blank");
  token?.attrSet("rel", "noopener noreferrer nofollow");
  return defaultLinkOpen(tokens, idx, opts, env, self);
};

/**
 * HTML for a message body. `me` (my username, or it and my former ones) gets its own mentions
 * highlighted. Every mention carries data-username: the timeline opens that person's card from it.
 */
export function renderMarkdown(body: string, me?: string | readonly string[]): string {
  return md.render(body, { me: typeof me === "string" ? [me] : me });
}

/** Plain text of a shortcode like "tada" → "🎉", for the reaction picker. */
export { default as emojiShortcodes } from "markdown-it-emoji/lib/data/full.mjs";

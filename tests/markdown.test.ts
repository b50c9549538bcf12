import { describe, expect, it } from "vitest";
import { renderMarkdown } from "@/lib/messages/markdown";

describe("message formatting", () => {
  it("renders the safe subset", () => {
    const html = renderMarkdown("**b** _i_ ~~s~~ `c` :tada:\n> q\n- one\n- two\n\n```\nfenced\n```");
    for (const part of [
      "<strong>b</strong>",
      "<em>i</em>",
      "<s>s</s>",
      "<code>c</code>",
      "🎉",
      "<blockquote>",
      "<li>one</li>",
      "<pre><code>fenced",
    ]) {
      expect(html).toContain(part);
    }
  });

  it("autolinks with safe attributes and never emits HTML from the message", () => {
    const link = renderMarkdown("see https://example.com/x");
    expect(link).toContain(
      '<a href="https://example.com/x" target="_blank" rel="noopener noreferrer nofollow">',
    );
    for (const evil of [
      "<script>alert(1)</script>",
      '<img src=x onerror="alert(1)">',
      "[x](javascript:alert(1))",
      "<a href='javascript:alert(1)'>x</a>",
      "![x](https://example.com/i.png)",
      '<svg onload="alert(1)">',
    ]) {
      const html = renderMarkdown(evil);
      const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
      for (const tag of tags) {
        expect(tag).toMatch(/^<(p|a|br|em|strong|code|s)[\s>]/);
        expect(tag).not.toMatch(/\son\w+=|javascript:/i);
      }
    }
  });

  it("marks mentions, highlighting mine, but not e-mail addresses", () => {
    const html = renderMarkdown("@ana and @bob, mail ana@example.com", "bob");
    expect(html).toContain('<span class="mention" data-username="ana">@ana</span>');
    expect(html).toContain('<span class="mention mention-me" data-username="bob">@bob</span>');
    expect(html).toContain("ana@example.com");
  });
});

"use client";
// Roving focus for a long list: the whole list is one Tab stop. One item (the last focused, else the
// newest) has tabIndex 0, the others -1, and so do the controls inside every other item; ↑/↓, Home/
// End and PageUp/PageDown move between items. Items are the container's `[data-roving-item]`
// elements. Everything is done on the DOM (no re-render of hundreds of items per key press).
import { type RefObject, useEffect } from "react";

const ITEM = "[data-roving-item]";
// i18n-exempt: a CSS selector list, not text
const CONTROLS = "a[href], button, input, select, textarea, summary, [tabindex]";
const PAGE = 10;

/** Typing keys inside a field of an item (the edit box, the emoji input) are the field's own. */
function isField(el: EventTarget | null): boolean {
  return el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

export function useRovingFocus(ref: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    let active: HTMLElement | null = null;
    let frame = 0;

    const items = () => [...root.querySelectorAll<HTMLElement>(ITEM)];
    const sync = () => {
      frame = 0;
      const all = items();
      if (!active?.isConnected || !root.contains(active)) active = all.at(-1) ?? null;
      for (const item of all) {
        const on = item === active;
        item.tabIndex = on ? 0 : -1;
        for (const c of item.querySelectorAll<HTMLElement>(CONTROLS)) {
          if (c.closest(ITEM) !== item) continue;
          if (on) {
            if (c.dataset.rovingTabindex === undefined) continue;
            const was = c.dataset.rovingTabindex;
            if (was === "") c.removeAttribute("tabindex");
            else c.setAttribute("tabindex", was);
            delete c.dataset.rovingTabindex;
          } else if (c.dataset.rovingTabindex === undefined && c.tabIndex >= 0) {
            c.dataset.rovingTabindex = c.getAttribute("tabindex") ?? "";
            c.tabIndex = -1;
          }
        }
      }
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(sync);
    };

    // Tabbing into the list (Shift+Tab from below lands on the active item's last control) stops
    // on the item itself, as a forward Tab does.
    let tabbedAt = 0;
    const onTabKey = (e: KeyboardEvent) => {
      if (e.key === "Tab") tabbedAt = e.timeStamp;
    };
    const onFocusIn = (e: FocusEvent) => {
      const item = (e.target as HTMLElement).closest<HTMLElement>(ITEM);
      if (!item) return;
      const from = e.relatedTarget as Node | null;
      if (e.target !== item && e.timeStamp - tabbedAt < 500 && !(from && root.contains(from))) {
        item.focus();
        return;
      }
      if (item === active) return;
      active = item;
      sync();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isField(e.target)) return;
      // A popover inside an item (the reaction picker, a card) keeps its own arrow keys.
      if ((e.target as HTMLElement).closest("[role=dialog], dialog, [role=menu], [role=listbox]")) return;
      const current = (e.target as HTMLElement).closest<HTMLElement>(ITEM);
      if (!current) return;
      const all = items();
      const i = all.indexOf(current);
      const to =
        e.key === "ArrowUp"
          ? i - 1
          : e.key === "ArrowDown"
            ? i + 1
            : e.key === "Home"
              ? 0
              : e.key === "End"
                ? all.length - 1
                : e.key === "PageUp"
                  ? Math.max(0, i - PAGE)
                  : e.key === "PageDown"
                    ? Math.min(all.length - 1, i + PAGE)
                    : null;
      if (to === null) return;
      e.preventDefault();
      const next = all[to];
      if (!next) return;
      next.focus({ preventScroll: true });
      next.scrollIntoView({ block: "nearest" });
    };

    sync();
    const observer = new MutationObserver(schedule);
    observer.observe(root, { childList: true, subtree: true });
    root.addEventListener("focusin", onFocusIn);
    root.addEventListener("keydown", onKey);
    window.addEventListener("keydown", onTabKey, true);
    return () => {
      window.removeEventListener("keydown", onTabKey, true);
      cancelAnimationFrame(frame);
      observer.disconnect();
      root.removeEventListener("focusin", onFocusIn);
      root.removeEventListener("keydown", onKey);
    };
  }, [ref]);
}

"use client";
// How every popover, panel, sheet and dialog closes: Esc (the innermost open one only), a click or
// tap outside it, and focus back on the control that opened it. `useDismiss` is for layers drawn in
// the page (panels, menus, cards); `useModal` drives a native <dialog> (focus trap, top layer) with
// the same rules: Esc, a tap on the backdrop, focus back to the opener.
import { type RefObject, useEffect, useRef } from "react";

/** Open layers, innermost last. Esc closes only the last one. */
const layers: symbol[] = [];

/** True while any popover, panel or modal dialog is open (page shortcuts such as Esc-marks-read wait). */
export function layerOpen(): boolean {
  return layers.length > 0 || document.querySelector("dialog[open]") !== null;
}

function focusable(el: Element | null): el is HTMLElement {
  return el instanceof HTMLElement && el !== document.body && el.isConnected;
}

export function useDismiss(
  open: boolean,
  onClose: () => void,
  {
    ref,
    outside = true,
    restoreFocus = true,
  }: {
    /** The layer's element: a pointer-down outside it closes it. */
    ref: RefObject<HTMLElement | null>;
    outside?: boolean;
    restoreFocus?: boolean;
  },
) {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    if (!open) return;
    const me = Symbol("layer");
    layers.push(me);
    // The control that opened it (a click focuses the button; a shortcut leaves focus where it was).
    const opener = document.activeElement;
    const inModal = (t: EventTarget | null) => {
      const dialog = t instanceof Element ? t.closest("dialog[open]") : null;
      return dialog !== null && !dialog.contains(ref.current);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented || layers.at(-1) !== me || inModal(e.target)) return;
      e.preventDefault();
      close.current();
    };
    const onPointer = (e: PointerEvent) => {
      const t = e.target as Node | null;
      if (!t || ref.current?.contains(t) || inModal(t)) return;
      // The opener toggles by itself: closing here would reopen it on the same click.
      if (opener instanceof Node && opener !== document.body && opener.contains(t)) return;
      close.current();
    };
    window.addEventListener("keydown", onKey);
    if (outside) document.addEventListener("pointerdown", onPointer, true);
    return () => {
      layers.splice(layers.indexOf(me), 1);
      window.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer, true);
      // Closed while focus was inside it (now gone) or nowhere: back to the opener.
      const active = document.activeElement;
      const lost = !focusable(active) || ref.current?.contains(active);
      if (restoreFocus && lost && focusable(opener)) opener.focus({ preventScroll: true });
    };
  }, [open, ref, outside, restoreFocus]);
}

/**
 * A native modal <dialog> that is open while `open` is: showModal/close follow the state, Esc and a
 * tap on the backdrop call onClose, and focus returns to what had it before.
 */
export function useModal(open: boolean, onClose: () => void): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const opener = document.activeElement;
    if (!dialog.open) dialog.showModal();
    const onCancel = (e: Event) => {
      e.preventDefault();
      close.current();
    };
    const onClick = (e: MouseEvent) => {
      if (onBackdrop(e, dialog)) close.current();
    };
    dialog.addEventListener("cancel", onCancel);
    dialog.addEventListener("click", onClick);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      dialog.removeEventListener("click", onClick);
      const active = document.activeElement;
      const lost = !focusable(active) || dialog.contains(active);
      if (dialog.open) dialog.close();
      if (lost && focusable(opener)) opener.focus({ preventScroll: true });
    };
  }, [open]);
  return ref;
}

/** A click outside the dialog's box: on its backdrop (not on its own padding). */
function onBackdrop(
  e: { target: EventTarget | null; clientX: number; clientY: number },
  dialog: HTMLDialogElement,
) {
  if (e.target !== dialog) return false;
  const r = dialog.getBoundingClientRect();
  return e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom;
}

/** Closes a native <dialog> on a click on its backdrop (for dialogs opened with showModal directly). */
export function closeOnBackdrop(e: {
  target: EventTarget;
  clientX: number;
  clientY: number;
  currentTarget: HTMLDialogElement;
}) {
  if (onBackdrop(e, e.currentTarget)) e.currentTarget.close();
}

"use client";
// Long-press on touch: a finger held still for LONG_PRESS_MS fires `onLongPress`; moving more than a
// few pixels (a scroll), lifting or cancelling first does not. Mouse and pen are left alone (they
// have hover and right-click). The click that follows a long press is swallowed.
import { type PointerEvent, useEffect, useRef } from "react";

export const LONG_PRESS_MS = 500;
const SLOP_PX = 10;

export function useLongPress(onLongPress: () => void, enabled = true) {
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const start = useRef<{ x: number; y: number } | null>(null);
  const fired = useRef(false);
  const cb = useRef(onLongPress);
  cb.current = onLongPress;
  useEffect(() => () => clearTimeout(timer.current), []);

  const cancel = () => {
    clearTimeout(timer.current);
    start.current = null;
  };
  if (!enabled) return {};
  return {
    onPointerDown(e: PointerEvent) {
      if (e.pointerType !== "touch") return;
      fired.current = false;
      start.current = { x: e.clientX, y: e.clientY };
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        start.current = null;
        fired.current = true;
        cb.current();
      }, LONG_PRESS_MS);
    },
    onPointerMove(e: PointerEvent) {
      const s = start.current;
      if (s && Math.hypot(e.clientX - s.x, e.clientY - s.y) > SLOP_PX) cancel();
    },
    onPointerUp: cancel,
    onPointerCancel: cancel,
    onPointerLeave: cancel,
    onContextMenu(e: { preventDefault(): void; nativeEvent: Event }) {
      // Android's long-press context menu and iOS's callout would cover the sheet.
      if (fired.current || start.current) e.preventDefault();
    },
    onClickCapture(e: { preventDefault(): void; stopPropagation(): void }) {
      if (!fired.current) return;
      fired.current = false;
      e.preventDefault();
      e.stopPropagation();
    },
  };
}

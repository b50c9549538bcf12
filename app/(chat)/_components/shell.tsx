"use client";
// Sidebar + main area. On narrow screens the sidebar is a drawer behind a menu button.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type ReactNode, useEffect, useState } from "react";
import { getSocket } from "@/lib/realtime/client/socket";
import type { SidebarRoom } from "@/lib/rooms/rooms.schema";
import { isAdmin, isGuest, type Role } from "@/lib/workspace/roles";
import { Avatar } from "./avatar";
import { ConnectionNotice } from "./connection-notice";
import { CreateMenu } from "./create-menu";
import { KeyboardShortcuts } from "./keyboard-shortcuts";
import { NewMessageDialog } from "./new-message-dialog";
import { NewRoomDialog } from "./new-room-dialog";
import { NotificationsPrompt } from "./notifications-prompt";
import { SidebarRooms } from "./sidebar-rooms";
import { signOutHere } from "./sign-out";

export function Shell({
  user,
  rooms,
  workspace,
  children,
}: {
  user: { id: string; username: string; displayName: string; role: Role };
  rooms: SidebarRoom[];
  workspace: { name: string; logoText: string };
  children: ReactNode;
}) {
  const t = useTranslations("chat");
  const tc = useTranslations("common");
  const pathname = usePathname();
  const router = useRouter();
  // An admin changed my role: re-render the server components, so controls appear or go at once.
  useEffect(() => {
    const s = getSocket();
    const refresh = () => router.refresh();
    s.on("account:updated", refresh);
    return () => {
      s.off("account:updated", refresh);
    };
  }, [router]);
  const [open, setOpen] = useState(false);
  // Guests cannot create rooms, browse or start conversations (the services refuse it too).
  const guest = isGuest(user.role);
  const [signOutError, setSignOutError] = useState<string>();
  const [signingOut, setSigningOut] = useState(false);
  // Close the drawer whenever the route changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: pathname is the trigger
  useEffect(() => setOpen(false), [pathname]);

  return (
    <div className="flex h-dvh overflow-hidden">
      <SkipLinks inRoom={pathname.startsWith("/rooms/")} />
      <KeyboardShortcuts meId={user.id} />
      <button
        type="button"
        className="btn-ghost fixed start-2 top-2 z-30 md:hidden"
        aria-label={open ? t("shell.closeSidebar") : t("shell.openSidebar")}
        aria-expanded={open}
        aria-controls="sidebar"
        onClick={() => setOpen((o) => !o)}
      >
        <svg aria-hidden viewBox="0 0 20 20" className="size-5" fill="currentColor">
          <path d="M3 5h14v1.5H3zM3 9.25h14v1.5H3zM3 13.5h14V15H3z" />
        </svg>
      </button>
      {!guest && !open && <CreateMenu />}
      {open && (
        <button
          type="button"
          aria-label={t("shell.closeSidebar")}
          tabIndex={-1}
          className="fixed inset-0 z-10 bg-black/30 md:hidden"
          onClick={() => setOpen(false)}
        />
      )}
      <nav
        id="sidebar"
        aria-label={t("shell.sidebar")}
        className={`fixed inset-y-0 start-0 z-20 flex w-64 shrink-0 flex-col border-e border-zinc-200 bg-zinc-50 transition-[translate,visibility] dark:border-zinc-800 dark:bg-zinc-900 md:visible md:static md:translate-x-0 md:rtl:translate-x-0 ${
          open ? "translate-x-0" : "invisible -translate-x-full rtl:translate-x-full"
        }`}
      >
        <div className="flex h-12 items-center gap-2 border-b border-zinc-200 px-4 ps-14 dark:border-zinc-800 md:ps-4">
          <span
            aria-hidden
            className="grid h-6 min-w-6 place-items-center rounded-md bg-indigo-600 px-1 text-xs font-bold text-white"
          >
            {workspace.logoText || [...workspace.name][0]?.toUpperCase() || "B"}
          </span>
          <span className="truncate font-semibold tracking-tight" data-testid="workspace-name">
            {workspace.name}
          </span>
        </div>
        {!guest && (
          <div className="flex flex-wrap gap-2 px-3 pt-3">
            <NewRoomDialog />
            <Link
              href="/browse"
              className="btn-secondary flex-1"
              aria-current={pathname === "/browse" ? "page" : undefined}
            >
              {t("shell.browse")}
            </Link>
          </div>
        )}
        <form action="/search" className="px-3 pt-3">
          <input
            type="search"
            name="q"
            aria-label={t("shell.searchMessages")}
            placeholder={t("shell.searchMessages")}
            className="input py-1.5"
            maxLength={200}
          />
        </form>
        <div className="flex flex-wrap gap-1 px-3 pt-2">
          <Link
            href="/mentions"
            className="btn-ghost flex-1 justify-start"
            aria-current={pathname === "/mentions" ? "page" : undefined}
          >
            {t("shell.mentions")}
          </Link>
          {!guest && <NewMessageDialog />}
        </div>
        {isAdmin(user.role) && (
          <div className="flex px-3 pt-1">
            <Link
              href="/admin"
              className="btn-ghost flex-1 justify-start"
              aria-current={pathname.startsWith("/admin") ? "page" : undefined}
            >
              {t("shell.admin")}
            </Link>
          </div>
        )}
        <div className="mt-3 flex-1 overflow-y-auto px-2 pb-4">
          <SidebarRooms initial={rooms} me={user} />
        </div>
        <NotificationsPrompt />
        <div className="flex items-center gap-2 border-t border-zinc-200 p-3 dark:border-zinc-800">
          <Avatar user={user} />
          <div className="min-w-0 flex-1">
            <p className="truncate text-sm font-medium">{user.displayName}</p>
            {/* A handle reads left to right in every language, cut at its end. */}
            <p dir="ltr" className="truncate text-xs text-zinc-500 rtl:text-end">
              @{user.username}
            </p>
          </div>
          <Link
            href="/settings"
            className="btn-ghost px-2"
            aria-label={t("shell.settings")}
            title={t("shell.settings")}
          >
            <span aria-hidden>⚙</span>
          </Link>
          <button
            type="button"
            className="btn-ghost"
            disabled={signingOut}
            onClick={async () => {
              setSigningOut(true);
              setSignOutError(await signOutHere());
              setSigningOut(false);
            }}
          >
            {tc("signOut")}
          </button>
        </div>
        {signOutError && (
          <p role="alert" className="px-3 pb-3 text-sm text-red-600">
            {signOutError}
          </p>
        )}
      </nav>
      <main id="main" tabIndex={-1} className="flex min-w-0 flex-1 flex-col outline-none">
        <ConnectionNotice />
        {children}
      </main>
    </div>
  );
}

/** First in the tab order: straight to the composer (in a room) or to the page's content. */
function SkipLinks({ inRoom }: { inRoom: boolean }) {
  const t = useTranslations("chat");
  const link =
    "sr-only focus:not-sr-only focus:fixed focus:start-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-indigo-600 focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-white";
  const go = (e: { preventDefault(): void }, selector: string) => {
    const target = document.querySelector<HTMLElement>(selector) ?? document.getElementById("main");
    if (!target) return;
    e.preventDefault();
    target.focus();
  };
  return (
    <>
      {inRoom && (
        // biome-ignore lint/a11y/useValidAnchor: a skip link; the click also moves focus (a fragment alone does not)
        <a href="#composer" className={link} onClick={(e) => go(e, "#composer")}>
          {t("shell.skipToComposer")}
        </a>
      )}
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link; the click also moves focus */}
      <a href="#main" className={link} onClick={(e) => go(e, "#main")}>
        {t("shell.skipToMain")}
      </a>
    </>
  );
}

"use client";
// The console's tab bar: links with aria-current on the open tab. Scrolls sideways on a phone.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

/** Each tab's path under /admin, which is also its label's key (admin.tabs.*). */
const TABS = ["users", "rooms", "invites", "integrations", "bots", "commands", "settings", "audit"] as const;

export function AdminTabs() {
  const pathname = usePathname();
  const t = useTranslations("admin");
  return (
    <nav
      aria-label={t("console.title")}
      className="overflow-x-auto border-b border-zinc-200 dark:border-zinc-800"
    >
      <ul className="flex min-w-max gap-1 px-4">
        {TABS.map((tab) => {
          const href = `/admin/${tab}`;
          const current = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={tab}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className={`inline-block border-b-2 px-3 py-2 text-sm ${
                  current
                    ? "border-indigo-600 font-medium text-indigo-700 dark:text-indigo-300"
                    : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
                }`}
              >
                {t(`tabs.${tab}`)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

// /admin: the console's overview (counts), then the tabs.
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { adminOverview } from "@/lib/admin/admin.service";
import { adminStorageStats } from "@/lib/files/files.service";
import { requireAdminPage } from "./_components/require-admin";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin");
  return { title: t("titles.overview") };
}

const UNITS = ["kb", "mb", "gb", "tb"] as const;

/** "1.5 KB" style sizes in the request's language (binary steps, as the limits are). */
async function byteSize(bytes: number): Promise<string> {
  const [t, format] = await Promise.all([getTranslations("admin.overview.size"), getFormatter()]);
  if (bytes < 1024) return t("bytes", { count: bytes });
  let n = bytes / 1024;
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  const size = format.number(
    n,
    n < 10 ? { minimumFractionDigits: 1, maximumFractionDigits: 1 } : { maximumFractionDigits: 0 },
  );
  return t(UNITS[unit] as (typeof UNITS)[number], { size });
}

export default async function AdminOverview() {
  const { user } = await requireAdminPage("/admin");
  const [{ users, deactivated, rooms }, storage, t, format] = await Promise.all([
    adminOverview(user),
    adminStorageStats(user),
    getTranslations("admin.overview"),
    getFormatter(),
  ]);
  const stats = [
    { key: "people", value: users, href: "/admin/users" },
    { key: "deactivated", value: deactivated, href: "/admin/users" },
    { key: "rooms", value: rooms, href: "/admin/rooms" },
  ] as const;
  return (
    <section aria-labelledby="overview-title" className="max-w-3xl">
      <h2 id="overview-title" className="mb-3 text-base font-semibold">
        {t("title")}
      </h2>
      <ul className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        {stats.map((s) => (
          <li key={s.key} className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
            <Link href={s.href} className="block">
              <span className="block text-2xl font-semibold">{format.number(s.value)}</span>
              <span className="text-sm text-zinc-600 dark:text-zinc-400">{t(s.key)}</span>
            </Link>
          </li>
        ))}
        <li className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
          <span className="block text-2xl font-semibold">{await byteSize(storage.totalBytes)}</span>
          <span className="text-sm text-zinc-600 dark:text-zinc-400">
            {t("storageUsed", { files: storage.files })}
          </span>
        </li>
      </ul>
    </section>
  );
}

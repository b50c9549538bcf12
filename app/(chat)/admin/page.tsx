// /admin: the console's overview (counts), then the tabs.
import type { Metadata } from "next";
import Link from "next/link";
import { adminOverview } from "@/lib/admin/admin.service";
import { formatBytes } from "@/lib/files/files.schema";
import { adminStorageStats } from "@/lib/files/files.service";
import { requireAdminPage } from "./_components/require-admin";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminOverview() {
  const { user } = await requireAdminPage("/admin");
  const [{ users, deactivated, rooms }, storage] = await Promise.all([
    adminOverview(user),
    adminStorageStats(user),
  ]);
  const stats = [
    { label: "People", value: users, href: "/admin/users" },
    { label: "Deactivated", value: deactivated, href: "/admin/users" },
    { label: "Rooms", value: rooms, href: "/admin/rooms" },
  ];
  return (
    <section aria-labelledby="overview-title" className="max-w-3xl">
      <h2 id="overview-title" className="mb-3 text-base font-semibold">
        Overview
      </h2>
      <ul className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        {stats.map((s) => (
          <li key={s.label} className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
            <Link href={s.href} className="block">
              <span className="block text-2xl font-semibold">{s.value}</span>
              <span className="text-sm text-zinc-600 dark:text-zinc-400">{s.label}</span>
            </Link>
          </li>
        ))}
        <li className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
          <span className="block text-2xl font-semibold">{formatBytes(storage.totalBytes)}</span>
          <span className="text-sm text-zinc-600 dark:text-zinc-400">
            Storage used ({storage.files.toLocaleString("en-US")} {storage.files === 1 ? "file" : "files"})
          </span>
        </li>
      </ul>
    </section>
  );
}

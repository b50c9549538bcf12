import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-full flex-col items-center justify-center gap-3 p-8 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        That page or room does not exist, or you do not have access to it.
      </p>
      <Link href="/rooms" className="btn-primary">
        Back to your rooms
      </Link>
    </main>
  );
}

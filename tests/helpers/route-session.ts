// Route handlers called directly (outside a Next request, where next/headers has no cookies): the
// session module is replaced by a chosen user; everything else (PostgreSQL, Socket.IO) is real.
// In a test file: vi.mock("@/lib/auth/session", () => import("./helpers/route-session").then((m) => m.sessionModule()));
import { AppError } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/users.schema";

/** The signed-in user the replaced session module answers with (null: signed out). */
export const routeSession: { user: SessionUser | null } = { user: null };

export function sessionModule() {
  return {
    currentUser: async () => routeSession.user,
    requireApiUser: async () => {
      if (!routeSession.user) throw new AppError("unauthorized", "Sign in to continue");
      return routeSession.user;
    },
  };
}

export const get = (path: string) => new Request(`http://beacon.test${path}`);

export async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, code: body.error.code, message: body.error.message };
}

// Search filters with hostile text: control characters (PostgreSQL rejects NUL) and LIKE wildcards.
// Route handlers run for real against PostgreSQL; only the session lookup is replaced by a chosen user.
import { describe, expect, it, vi } from "vitest";
import { listPublicRooms } from "@/lib/rooms/rooms.service";
import { searchMessages } from "@/lib/search/search.service";
import { escapeLike } from "@/lib/text";
import { searchUsers, signUp } from "@/lib/users/users.service";
import { makeRoom, makeUser, unique } from "./helpers/fixtures";
import { errorOf, get, routeSession } from "./helpers/route-session";

vi.mock("@/lib/auth/session", () => import("./helpers/route-session").then((m) => m.sessionModule()));

describe("control characters in search filters", () => {
  it("refuses them with a validation error in every service (PostgreSQL cannot store NUL)", async () => {
    const ana = await makeUser("ana");
    const searcher = ana;
    for (const q of ["in:#a\u0000", "deploy\u0000", "from:@ana in:#x\u0007"]) {
      await expect(searchMessages(ana, { q })).rejects.toMatchObject({
        code: "validation",
        message: expect.stringContaining("control characters"),
      });
    }
    for (const q of ["\u0000", "gen\u0000eral", "a\u001b"]) {
      await expect(listPublicRooms(ana, q)).rejects.toMatchObject({ code: "validation" });
      await expect(searchUsers(searcher, q)).rejects.toMatchObject({ code: "validation" });
    }
  });

  it("answers 400 with a JSON error on /api/search, /api/rooms/public and /api/users/search", async () => {
    routeSession.user = await makeUser("ana");
    const search = await import("@/app/api/search/route");
    const rooms = await import("@/app/api/rooms/public/route");
    const users = await import("@/app/api/users/search/route");
    for (const res of [
      await search.GET(get("/api/search?q=in:%23a%00")),
      await search.GET(get("/api/search?q=hello%00")),
      await rooms.GET(get("/api/rooms/public?q=%00")),
      await users.GET(get("/api/users/search?q=%00")),
    ]) {
      expect(await errorOf(res)).toMatchObject({
        status: 400,
        code: "validation",
        message: expect.stringContaining("Search cannot contain control characters"),
      });
    }
    expect((await rooms.GET(get("/api/rooms/public?q="))).status).toBe(200);
  });
});

describe("LIKE wildcards in search filters", () => {
  it("escapes \\ % and _", () => {
    expect(escapeLike("a_b%c\\d")).toBe("a\\_b\\%c\\\\d");
    expect(escapeLike("plain")).toBe("plain");
  });

  it("matches _ and % in user search literally", async () => {
    const searcher = await makeUser("searcher");
    const base = unique("wc").slice(0, 20);
    const plain = await signUp({
      username: `${base}ab`,
      displayName: `Wild ${base}`,
      password: "long enough pw",
    });
    const under = await signUp({
      username: `${base}_b`,
      displayName: `W_ld ${base}`,
      password: "long enough pw",
    });
    expect((await searchUsers(searcher, "_")).map((u) => u.id)).not.toContain(plain.id);
    expect((await searchUsers(searcher, "%")).map((u) => u.id)).not.toContain(plain.id);
    expect((await searchUsers(searcher, `${base}_`)).map((u) => u.id)).toEqual([under.id]);
    expect((await searchUsers(searcher, `${base}%`)).map((u) => u.id)).toEqual([]);
    expect((await searchUsers(searcher, "W_ld")).map((u) => u.id)).toContain(under.id);
    expect((await searchUsers(searcher, "W_ld")).map((u) => u.id)).not.toContain(plain.id);
    expect((await searchUsers(searcher, base)).map((u) => u.id).sort()).toEqual([plain.id, under.id].sort());
  });

  it("matches _ and % in the public room filter literally", async () => {
    const ana = await makeUser("ana");
    const base = unique("rw").slice(0, 20);
    const plain = await makeRoom(ana, { name: `${base}x1` });
    const pct = await makeRoom(ana, { name: `${base}%1` });
    const under = await makeRoom(ana, { name: `${base}_1` });
    const ids = async (q: string) => (await listPublicRooms(ana, q)).map((r) => r.id).sort();
    expect(await ids(`${base}%`)).toEqual([pct.id]);
    expect(await ids(`${base}_`)).toEqual([under.id]);
    expect(await ids(`${base}\\`)).toEqual([]);
    expect(await ids(base)).toEqual([plain.id, pct.id, under.id].sort());
    expect((await listPublicRooms(ana, "_")).map((r) => r.id)).not.toContain(plain.id);
  });
});

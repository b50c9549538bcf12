// The JSON API over HTTP against the running server: status codes and error bodies.
import { expect, test } from "@playwright/test";
import { createRoom, seedMessages, signUp, socketFor, uniqueName } from "./helpers";

test("health reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", db: "ok" });
});

test("signed-out API calls get 401 with a JSON error", async ({ playwright, baseURL }) => {
  const anon = await playwright.request.newContext({ baseURL });
  for (const path of [
    "/api/rooms",
    "/api/rooms/public",
    "/api/rooms/00000000-0000-4000-8000-000000000000/messages",
  ]) {
    const res = await anon.get(path);
    expect(res.status(), path).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthorized", message: expect.any(String) } });
  }
  const res = await anon.post("/api/rooms", { data: { name: "x" } });
  expect(res.status()).toBe(401);
  await anon.dispose();
});

test("history API: keyset pages, 400 with field errors, 404 for rooms you cannot see", async ({
  browser,
  baseURL,
}) => {
  const ctxA = await browser.newContext();
  const a = await ctxA.newPage();
  await signUp(a, "Gus");
  const roomId = await createRoom(a, uniqueName("api"), { isPrivate: true });
  const socket = await socketFor(ctxA, baseURL as string);
  await seedMessages(socket, roomId, 12, (i) => `api ${i}`);
  socket.disconnect();

  const latest = await ctxA.request.get(`/api/rooms/${roomId}/messages?limit=5`);
  expect(latest.status()).toBe(200);
  const page1 = await latest.json();
  expect(page1.messages.map((m: { seq: number }) => m.seq)).toEqual([8, 9, 10, 11, 12]);
  expect(page1.hasMore).toBe(true);
  const older = await (await ctxA.request.get(`/api/rooms/${roomId}/messages?before=8&limit=100`)).json();
  expect(older.messages.map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  expect(older.hasMore).toBe(false);
  const after = await (await ctxA.request.get(`/api/rooms/${roomId}/messages?after=10`)).json();
  expect(after.messages.map((m: { body: string }) => m.body)).toEqual(["api 11", "api 12"]);

  for (const q of ["limit=101", "limit=0", "before=abc", "before=3&after=1", "after=-2", "bogus=1"]) {
    const res = await ctxA.request.get(`/api/rooms/${roomId}/messages?${q}`);
    expect(res.status(), q).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("validation");
    expect(Object.keys(body.error.fields ?? {}).length, q).toBeGreaterThan(0);
  }

  const ctxE = await browser.newContext();
  const e = await ctxE.newPage();
  await signUp(e, "Eve");
  for (const path of [
    `/api/rooms/${roomId}/messages`,
    `/api/rooms/${roomId}`,
    `/api/rooms/${roomId}/members`,
  ]) {
    const res = await ctxE.request.get(path);
    expect(res.status(), path).toBe(404);
    expect((await res.json()).error.code).toBe("not_found");
  }
  expect((await ctxE.request.post(`/api/rooms/${roomId}/join`)).status()).toBe(404);
  const pageRes = await e.goto(`/rooms/${roomId}`);
  expect(pageRes?.status()).toBe(404);
  await expect(e.getByText("api 1", { exact: true })).toHaveCount(0);

  // bad bodies
  const bad = await ctxE.request.post("/api/rooms", {
    headers: { "content-type": "application/json" },
    data: Buffer.from("{not json"),
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.code).toBe("bad_request");
  const invalid = await ctxE.request.post("/api/rooms", { data: { name: "", isPrivate: "yes" } });
  expect(invalid.status()).toBe(400);
  expect(Object.keys((await invalid.json()).error.fields)).toEqual(
    expect.arrayContaining(["name", "isPrivate"]),
  );
  await ctxA.close();
  await ctxE.close();
});

test("unknown API paths get a JSON 404 and wrong methods a JSON 405 with Allow", async ({
  playwright,
  baseURL,
}) => {
  const anon = await playwright.request.newContext({ baseURL });
  for (const [method, path] of [
    ["GET", "/api"],
    ["GET", "/api/nope"],
    ["POST", "/api/nope"],
    ["DELETE", "/api/nope/deeper/still"],
    ["PUT", "/api/rooms/00000000-0000-4000-8000-000000000000/nope"],
    ["PATCH", "/api/users/nope"],
  ] as const) {
    const res = await anon.fetch(path, { method });
    expect(res.status(), `${method} ${path}`).toBe(404);
    expect(res.headers()["content-type"]).toMatch(/application\/json/);
    expect(await res.json()).toEqual({
      error: { code: "not_found", message: "There is no API endpoint at this address" },
    });
  }

  for (const [method, path, allow] of [
    ["PUT", "/api/rooms", "GET, POST, HEAD, OPTIONS"],
    ["PUT", "/api/rooms/00000000-0000-4000-8000-000000000000", "GET, PATCH, DELETE, HEAD, OPTIONS"],
    ["GET", "/api/users", "POST, OPTIONS"],
    ["PATCH", "/api/rooms/00000000-0000-4000-8000-000000000000/join", "POST, OPTIONS"],
    ["DELETE", "/api/health", "GET, HEAD, OPTIONS"],
    ["PUT", "/api/auth/session", "GET, POST, HEAD, OPTIONS"],
  ] as const) {
    const res = await anon.fetch(path, { method });
    expect(res.status(), `${method} ${path}`).toBe(405);
    expect(res.headers().allow, `${method} ${path}`).toBe(allow);
    expect((await res.json()).error, `${method} ${path}`).toMatchObject({
      code: "method_not_allowed",
      message: expect.stringContaining(`${method} is not supported here`),
    });
  }
  // HEAD has no body, but the status and Allow still say what to use.
  const head = await anon.fetch("/api/users", { method: "HEAD" });
  expect(head.status()).toBe(405);
  expect(head.headers().allow).toBe("POST, OPTIONS");

  const options = await anon.fetch("/api/rooms", { method: "OPTIONS" });
  expect(options.status()).toBe(204);
  expect(options.headers().allow).toBe("GET, POST, HEAD, OPTIONS");
  await anon.dispose();
});

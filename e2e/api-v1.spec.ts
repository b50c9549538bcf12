// The REST API v1 against the production build: a personal access token sends a message that an
// open browser shows live, a retry with the same clientId returns the same message (and shows
// nothing new), errors are JSON, and the OpenAPI document and the reference page load.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { createRoom, messageBodies, signUp, uniqueName } from "./helpers";

/** A token for `username`, minted by the tokens service on the e2e server's database (e2e/mint-token.ts). */
async function mintToken(username: string, scopes = "read,write"): Promise<string> {
  const { stdout } = await promisify(execFile)("npx", ["tsx", "e2e/mint-token.ts", username, scopes], {
    env: { ...process.env, DATA_DIR: ".e2e-data", DATABASE_URL: "" },
    timeout: 90_000,
  });
  return stdout.trim();
}

test("a token sends through REST; the open room shows it live, once, even after a retry", async ({
  page,
  playwright,
  baseURL,
}) => {
  const alice = await signUp(page, "Alice");
  const name = uniqueName("rest");
  const roomId = await createRoom(page, name);
  const token = await mintToken(alice.username);
  expect(token).toMatch(/^bcn_/);
  const api = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });

  const me = await api.get("/api/v1/users/me");
  expect(me.status()).toBe(200);
  expect((await me.json()).user.username).toBe(alice.username);

  const clientId = randomUUID();
  const sent = await api.post(`/api/v1/rooms/${roomId}/messages`, {
    data: { clientId, body: "Deploy **finished** from CI" },
  });
  expect(sent.status()).toBe(201);
  const message = (await sent.json()).message;
  expect(message).toMatchObject({ roomId, clientId, body: "Deploy **finished** from CI" });
  // Live: the page did nothing, the message arrives over its socket.
  await expect(page.getByTestId("message-body").filter({ hasText: "Deploy finished from CI" })).toBeVisible();
  await expect(page.getByRole("log", { name: `Messages in #${name}` }).locator("strong")).toHaveText(
    "finished",
  );

  const retry = await api.post(`/api/v1/rooms/${roomId}/messages`, {
    data: { clientId, body: "Deploy **finished** from CI" },
  });
  expect(retry.status()).toBe(200);
  expect((await retry.json()).message.id).toBe(message.id);
  const history = await (await api.get(`/api/v1/rooms/${roomId}/messages?limit=10`)).json();
  expect(history.messages.filter((m: { clientId: string }) => m.clientId === clientId)).toHaveLength(1);
  await page.waitForTimeout(500);
  expect((await messageBodies(page)).filter((b) => b.includes("from CI"))).toHaveLength(1);

  // Edits and reactions through REST reach the page too.
  const edited = await api.patch(`/api/v1/rooms/${roomId}/messages/${message.id}`, {
    data: { body: "Deploy finished (v2)" },
  });
  expect(edited.status()).toBe(200);
  await expect(page.getByTestId("message-body").filter({ hasText: "Deploy finished (v2)" })).toBeVisible();
  const reacted = await api.put(
    `/api/v1/rooms/${roomId}/messages/${message.id}/reactions/${encodeURIComponent("🎉")}`,
  );
  expect(reacted.status()).toBe(200);
  expect((await reacted.json()).message.reactions).toMatchObject([{ emoji: "🎉", count: 1 }]);
  await expect(page.getByRole("button", { name: /^🎉 1, reacted by Alice/ })).toBeVisible();

  // The browser's own session works on the same routes.
  const mine = await page.context().request.get("/api/v1/rooms");
  expect(mine.status()).toBe(200);
  expect((await mine.json()).rooms.map((r: { id: string }) => r.id)).toContain(roomId);

  // A read-only token cannot write.
  const reader = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${await mintToken(alice.username, "read")}` },
  });
  const refused = await reader.post(`/api/v1/rooms/${roomId}/messages`, {
    data: { clientId: randomUUID(), body: "x" },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("forbidden");
  await reader.dispose();
  await api.dispose();
});

test("errors are JSON: 401 without a token, 404 for unknown paths, 405 with Allow", async ({
  playwright,
  baseURL,
}) => {
  const anon = await playwright.request.newContext({ baseURL });
  const none = await anon.get("/api/v1/rooms");
  expect(none.status()).toBe(401);
  expect(await none.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  const unknown = await anon.get("/api/v1/no-such-thing");
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.code).toBe("not_found");
  const wrong = await anon.delete("/api/v1/rooms");
  expect(wrong.status()).toBe(405);
  expect(wrong.headers().allow).toBe("GET, POST, HEAD, OPTIONS");
  expect((await wrong.json()).error.code).toBe("method_not_allowed");
  await anon.dispose();
});

test("the OpenAPI document and the reference page load", async ({ page, request }) => {
  const res = await request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toMatch(/^3\.1\./);
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining(["/rooms", "/rooms/{roomId}/messages", "/files"]),
  );
  expect(doc.paths["/rooms/{roomId}/messages"].post.operationId).toBe("sendMessage");

  await page.goto("/api/docs");
  await expect(page.getByRole("heading", { level: 1, name: "Beacon REST API reference" })).toBeVisible();
  for (const tag of ["Rooms", "Messages", "Files", "Users"])
    await expect(page.getByRole("heading", { level: 2, name: tag, exact: true })).toBeVisible();
  await expect(
    page.getByRole("heading", {
      level: 3,
      name: /POST \/api\/v1\/rooms\/\{roomId\}\/messages — Send a message/,
    }),
  ).toBeVisible();
  await expect(page.getByRole("table", { name: "Parameters of Read history" })).toBeVisible();
  await page.getByRole("link", { name: "Send a message" }).click();
  await expect(page).toHaveURL(/#sendMessage$/);
  await page.screenshot({ path: "test-results/api-docs.png" });
  await page.getByRole("link", { name: "/api/v1/openapi.json" }).click();
  await expect(page).toHaveURL(/\/api\/v1\/openapi\.json$/);
});

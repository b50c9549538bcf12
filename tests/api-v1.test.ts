// The REST API v1 (issue 18, item 3): the OpenAPI document validates (a real OpenAPI 3.1 validator),
// it names exactly the routes that exist (the route files are walked and asked for their methods),
// and the real route handlers, called with real personal access tokens (and a session cookie)
// against PostgreSQL, a disk storage and a live Socket.IO server, answer what the document says: every
// JSON answer seen here is checked against the document's schema for its operation and status (ajv,
// JSON Schema 2020-12), and every operation's success answers must have been seen.
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { FileView } from "@/lib/files/files.schema";
import { setStorage } from "@/lib/files/storage";
import { DiskStorage } from "@/lib/files/storage/disk";
import { renderDocsPage } from "@/lib/http/v1/docs-page";
import { openApiDocument } from "@/lib/http/v1/openapi";
import { limitKey, OPERATIONS } from "@/lib/http/v1/registry";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { LIMITS } from "@/lib/ratelimit/limits";
import { addMember } from "@/lib/rooms/rooms.service";
import { MemoryState, setSharedState } from "@/lib/state/shared-state";
import { createToken } from "@/lib/tokens/tokens.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { connectAs, connected, sessionCookie, startRealtime, type TestClient } from "./helpers/realtime";

type Json = Record<string, unknown>;
type Handler = (
  req: Request,
  ctx: { params: Promise<Record<string, string>> },
) => Promise<Response> | Response;

const V1_DIR = path.resolve(import.meta.dirname, "../app/api/v1");
const doc = openApiDocument() as Json & { paths: Record<string, Record<string, Json>> };

/** app/api/v1/rooms/[roomId]/route.ts → /rooms/{roomId} (null for the document's own route). */
function routeFiles(dir = V1_DIR): { file: string; path: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(p);
    if (e.name !== "route.ts") return [];
    const rel = path.relative(V1_DIR, path.dirname(p)).split(path.sep).filter(Boolean);
    return [{ file: p, path: `/${rel.map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/")}` }];
  });
}
const META_ROUTES = new Set(["/openapi.json"]);
const files = routeFiles().filter((f) => !META_ROUTES.has(f.path));
const modules = new Map<string, Record<string, Handler>>();
for (const f of files)
  modules.set(f.path, (await import(pathToFileURL(f.file).href)) as Record<string, Handler>);

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const v = new Validator();
    const res = await v.validate(structuredClone(doc));
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(v.version).toBe("3.1");
  });

  it("the validator does refuse a broken document (a path parameter that is not required)", async () => {
    const broken = structuredClone(doc);
    const getRoom = broken.paths["/rooms/{roomId}"]?.get as Json;
    const param = (getRoom.parameters as Json[])[0] as Json;
    param.required = false;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("has an operation for every method of every v1 route file, and a route file for every operation", async () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    const fromFiles: string[] = [];
    for (const f of files) {
      const mod = modules.get(f.path) as Record<string, Handler>;
      const res = await mod.OPTIONS?.(
        new Request(`http://beacon.test/api/v1${f.path}`, { method: "OPTIONS" }),
        {
          params: Promise.resolve({}),
        },
      );
      const allow = (res?.headers.get("allow") ?? "")
        .split(", ")
        .filter((m) => m !== "HEAD" && m !== "OPTIONS");
      expect(allow.length, f.path).toBeGreaterThan(0);
      for (const m of allow) fromFiles.push(`${m} ${f.path}`);
    }
    const fromDoc = Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(fromFiles.sort()).toEqual(fromDoc.sort());
  });

  it("gives every operation a unique operationId, a tag, a LIMITS row and the error answers", () => {
    const ids = OPERATIONS.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of OPERATIONS) {
      expect(Object.hasOwn(LIMITS, limitKey(o)), limitKey(o)).toBe(true);
      const d = doc.paths[o.path]?.[o.method.toLowerCase()] as Json;
      expect(d.operationId).toBe(o.operationId);
      expect(d.tags).toEqual([o.tag]);
      for (const s of ["400", "401", "403", "404", "429"])
        expect(d.responses, `${o.operationId} ${s}`).toHaveProperty(s);
    }
    const sec = (doc.components as Json).securitySchemes as Json;
    expect(sec.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(sec.cookieAuth).toMatchObject({ type: "apiKey", in: "cookie" });
  });

  it("renders the reference page: a heading per tag and per operation, curl examples", () => {
    const html = renderDocsPage(doc, "https://chat.example");
    expect(html).toContain("<h1>Beacon REST API reference</h1>");
    for (const t of ["Rooms", "Messages", "Files", "Users"])
      expect(html).toContain(`<h2 id="tag-${t}">${t}</h2>`);
    for (const o of OPERATIONS) expect(html).toContain(`<h3 id="${o.operationId}">`);
    expect(html).toContain("curl -X POST &#39;https://chat.example/api/v1/rooms/");
    expect(html).not.toContain("<script");
  });
});

// ---- The routes, called for real -------------------------------------------------------------

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "beacon", components: doc.components } as Json, "beacon");
/** "operationId status" → how many real answers were checked against the document. */
const checked = new Map<string, number>();

function answerSchema(method: string, template: string, status: number): Json | undefined {
  const op = doc.paths[template]?.[method.toLowerCase()] as Json;
  const responses = op.responses as Record<string, Json>;
  const r = responses[String(status)];
  if (!r) throw new Error(`${method} ${template} answered ${status}, which the document does not list`);
  if (typeof r.$ref === "string") return { $ref: "#/components/schemas/Error" };
  const c = (r.content as Record<string, Json>)["application/json"];
  return c?.schema as Json | undefined;
}

/** Relative refs (#/components/…) inside an operation's schema point into the registered document. */
function absolute(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(absolute);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        k === "$ref" && typeof x === "string" ? `beacon${x}` : absolute(x),
      ]),
    );
  return v;
}

function match(p: string): { template: string; params: Record<string, string> } {
  const segs = p.split("?")[0]?.split("/").filter(Boolean) ?? [];
  // Static segments first (/users/me before /users/{username}), as Next routes them.
  const templates = Object.keys(doc.paths).sort(
    (a, b) => (a.includes("{") ? 1 : 0) - (b.includes("{") ? 1 : 0),
  );
  for (const t of templates) {
    const ts = t.split("/").filter(Boolean);
    if (ts.length !== segs.length) continue;
    if (!ts.every((s, i) => /^\{\w+\}$/.test(s) || s === segs[i])) continue;
    const params: Record<string, string> = {};
    ts.forEach((s, i) => {
      if (/^\{\w+\}$/.test(s)) params[s.slice(1, -1)] = segs[i] as string;
    });
    return { template: t, params };
  }
  throw new Error(`no route for ${p}`);
}

interface CallOpts {
  token?: string;
  cookie?: string;
  json?: unknown;
  form?: FormData;
  raw?: string;
  headers?: Record<string, string>;
}

/** Call the route file's handler as Next would, and check a JSON answer against the document. */
async function api(
  method: string,
  p: string,
  o: CallOpts = {},
): Promise<{ status: number; body: Json; res: Response }> {
  const { template, params } = match(p);
  const mod = modules.get(template);
  if (!mod) throw new Error(`no route file for ${template}`);
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.cookie) headers.cookie = o.cookie;
  let body: BodyInit | undefined;
  if (o.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(o.json);
  } else body = o.form ?? o.raw;
  const req = new Request(`http://beacon.test/api/v1${p}`, { method, headers, body });
  const handler = mod[method] as Handler;
  const res = await handler(req, { params: Promise.resolve(params) });
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) return { status: res.status, body: {}, res };
  const json = (await res.json()) as Json;
  if (res.status !== 405) {
    const schema = answerSchema(method, template, res.status);
    if (schema) {
      const validate = ajv.compile(absolute(schema) as Json);
      expect(validate(json), `${method} ${template} ${res.status}: ${ajv.errorsText(validate.errors)}`).toBe(
        true,
      );
      const key = `${method} ${template} ${res.status}`;
      checked.set(key, (checked.get(key) ?? 0) + 1);
    }
  }
  return { status: res.status, body: json, res };
}

const errorCode = (r: { body: Json }) => (r.body.error as { code: string }).code;

let server: Awaited<ReturnType<typeof startRealtime>>;
let storageDir: string;
const state = new MemoryState();
let alice: SessionUser;
let bob: SessionUser;
let stranger: SessionUser;
let guest: SessionUser;
let aliceToken: string;
let bobToken: string;
let readOnly: string;
let guestToken: string;
let bobSocket: TestClient;
const heard: { event: string; m: ChatMessage }[] = [];

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(os.tmpdir(), "beacon-v1-"));
  setStorage(new DiskStorage(storageDir));
  setSharedState(state);
  server = await startRealtime(state);
  alice = await makeUser("alice");
  bob = await makeUser("bob");
  stranger = await makeUser("stranger");
  guest = await makeUser("guest", "guest");
  aliceToken = (await createToken(alice, { name: "ci", scopes: ["read", "write"] })).token;
  bobToken = (await createToken(bob, { name: "bot", scopes: ["read", "write"] })).token;
  readOnly = (await createToken(alice, { name: "reader", scopes: ["read"] })).token;
  guestToken = (await createToken(guest, { name: "g", scopes: ["read", "write"] })).token;
});

afterAll(async () => {
  bobSocket?.disconnect();
  await server?.close();
  setSharedState(undefined);
  setStorage(undefined);
  await rm(storageDir, { recursive: true, force: true });
});

function listen(s: TestClient) {
  for (const event of ["message:new", "message:updated", "message:deleted"] as const)
    s.on(event, (m: ChatMessage) => heard.push({ event, m }));
  s.on("message:batch", (ms: ChatMessage[]) => {
    for (const m of ms) heard.push({ event: "message:new", m });
  });
}
const until = async (pred: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out waiting for a live event");
    await new Promise((r) => setTimeout(r, 20));
  }
};
const settle = () => new Promise((r) => setTimeout(r, 150));

describe("REST v1 with a personal access token", () => {
  let roomId: string;

  it("authenticates: the token's user, 401 without one or with a wrong one, 403 for a read token writing", async () => {
    const me = await api("GET", "/users/me", { token: aliceToken });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: alice.id, username: alice.username, role: "member" });
    const none = await api("GET", "/users/me");
    expect([none.status, errorCode(none)]).toEqual([401, "unauthorized"]);
    const wrong = await api("GET", "/rooms", { token: `bcn_${"x".repeat(43)}` });
    expect([wrong.status, errorCode(wrong)]).toEqual([401, "unauthorized"]);
    expect((await api("GET", "/rooms", { token: readOnly })).status).toBe(200);
    const write = await api("POST", "/rooms", { token: readOnly, json: { name: "nope" } });
    expect([write.status, errorCode(write)]).toEqual([403, "forbidden"]);
  });

  it("accepts the browser's session cookie as well", async () => {
    const me = await api("GET", "/users/me", { cookie: await sessionCookie(bob) });
    expect(me.status).toBe(200);
    expect((me.body.user as Json).id).toBe(bob.id);
  });

  it("rooms: create, get, list, join, members, leave; 400 for a bad body", async () => {
    const created = await api("POST", "/rooms", { token: aliceToken, json: { name: `rest-${Date.now()}` } });
    expect(created.status).toBe(201);
    roomId = (created.body.room as { id: string }).id;
    expect((await api("GET", `/rooms/${roomId}`, { token: aliceToken })).status).toBe(200);
    const mine = await api("GET", "/rooms", { token: aliceToken });
    expect((mine.body.rooms as { id: string }[]).map((r) => r.id)).toContain(roomId);

    const bad = await api("POST", "/rooms", { token: aliceToken, json: { name: "", colour: "red" } });
    expect([bad.status, errorCode(bad)]).toEqual([400, "validation"]);
    expect(Object.keys((bad.body.error as { fields: Json }).fields)).toEqual(
      expect.arrayContaining(["name"]),
    );

    const join = await api("POST", `/rooms/${roomId}/join`, { token: bobToken });
    expect(join.status).toBe(200);
    expect((join.body.room as { isMember: boolean }).isMember).toBe(true);
    const members = await api("GET", `/rooms/${roomId}/members`, { token: bobToken });
    expect((members.body.members as { id: string }[]).map((m) => m.id).sort()).toEqual(
      [alice.id, bob.id].sort(),
    );

    const s = await makeRoom(alice);
    await api("POST", `/rooms/${s.id}/join`, { token: bobToken });
    const left = await api("POST", `/rooms/${s.id}/leave`, { token: bobToken });
    expect(left).toMatchObject({ status: 200, body: { ok: true } });
  });

  it("private rooms are 404 to non-members, whatever the route", async () => {
    const secret = await makeRoom(alice, { isPrivate: true });
    for (const [m, p, json] of [
      ["GET", `/rooms/${secret.id}`],
      ["GET", `/rooms/${secret.id}/members`],
      ["GET", `/rooms/${secret.id}/messages`],
      ["POST", `/rooms/${secret.id}/join`],
      ["POST", `/rooms/${secret.id}/messages`, { clientId: randomUUID(), body: "hi" }],
    ] as [string, string, unknown?][]) {
      const r = await api(m, p, { token: bobToken, json });
      expect([r.status, errorCode(r)], `${m} ${p}`).toEqual([404, "not_found"]);
    }
    const malformed = await api("GET", "/rooms/not-a-room", { token: bobToken });
    expect(malformed.status).toBe(404);
  });

  it("send: stored once per clientId, shown live once; a retry is 200 with the same message", async () => {
    bobSocket = await connectAs(server.url, bob);
    await connected(bobSocket);
    listen(bobSocket);
    const clientId = randomUUID();
    const first = await api("POST", `/rooms/${roomId}/messages`, {
      token: aliceToken,
      json: { clientId, body: "  Deploy **finished**  " },
    });
    expect(first.status).toBe(201);
    const message = first.body.message as ChatMessage;
    expect(message).toMatchObject({
      roomId,
      clientId,
      body: "Deploy **finished**",
      author: { id: alice.id },
    });
    await until(() => heard.some((h) => h.event === "message:new" && h.m.id === message.id));

    const retry = await api("POST", `/rooms/${roomId}/messages`, {
      token: aliceToken,
      json: { clientId, body: "  Deploy **finished**  " },
    });
    expect(retry.status).toBe(200);
    expect((retry.body.message as ChatMessage).id).toBe(message.id);
    await settle();
    expect(heard.filter((h) => h.event === "message:new" && h.m.clientId === clientId)).toHaveLength(1);
    expect(await db().message.count({ where: { authorId: alice.id, clientId } })).toBe(1);
  });

  it("send: readable 400s for a missing clientId, an empty body and an unknown field", async () => {
    for (const json of [
      { body: "no id" },
      { clientId: randomUUID(), body: "   " },
      { clientId: randomUUID(), body: "x", roomId },
    ]) {
      const r = await api("POST", `/rooms/${roomId}/messages`, { token: aliceToken, json });
      expect([r.status, errorCode(r)], JSON.stringify(json)).toEqual([400, "validation"]);
      expect((r.body.error as { message: string }).message.length).toBeGreaterThan(5);
    }
    const notJson = await api("POST", `/rooms/${roomId}/messages`, {
      token: aliceToken,
      headers: { "content-type": "application/json" },
      raw: "{not json",
    });
    expect([notJson.status, errorCode(notJson)]).toEqual([400, "bad_request"]);
  });

  it("history: keyset pages by seq, 400 for a bad query", async () => {
    for (let i = 0; i < 4; i++)
      await api("POST", `/rooms/${roomId}/messages`, {
        token: bobToken,
        json: { clientId: randomUUID(), body: `h${i}` },
      });
    const latest = await api("GET", `/rooms/${roomId}/messages?limit=2`, { token: bobToken });
    const seqs = (latest.body.messages as ChatMessage[]).map((m) => m.seq);
    expect(seqs).toHaveLength(2);
    expect(latest.body.hasMore).toBe(true);
    const older = await api("GET", `/rooms/${roomId}/messages?before=${seqs[0]}&limit=100`, {
      token: bobToken,
    });
    expect((older.body.messages as ChatMessage[]).map((m) => m.seq)).toEqual(
      Array.from({ length: (seqs[0] as number) - 1 }, (_, i) => i + 1),
    );
    const after = await api("GET", `/rooms/${roomId}/messages?after=${seqs[0]}`, { token: bobToken });
    expect((after.body.messages as ChatMessage[]).map((m) => m.seq)).toEqual([seqs[1]]);
    for (const query of ["limit=0", "before=x", "before=2&after=1", "bogus=1"]) {
      const r = await api("GET", `/rooms/${roomId}/messages?${query}`, { token: bobToken });
      expect([r.status, errorCode(r)], query).toEqual([400, "validation"]);
    }
  });

  it("edit, react (idempotent PUT/DELETE) and delete: each change reaches the room live", async () => {
    const sent = await api("POST", `/rooms/${roomId}/messages`, {
      token: aliceToken,
      json: { clientId: randomUUID(), body: "to change" },
    });
    const id = (sent.body.message as ChatMessage).id;
    const base = `/rooms/${roomId}/messages/${id}`;

    const edited = await api("PATCH", base, { token: aliceToken, json: { body: "changed" } });
    expect(edited.status).toBe(200);
    expect(edited.body.message).toMatchObject({ body: "changed", editedAt: expect.any(String) });
    await until(() =>
      heard.some((h) => h.event === "message:updated" && h.m.id === id && h.m.body === "changed"),
    );
    const notMine = await api("PATCH", base, { token: bobToken, json: { body: "hijack" } });
    expect([notMine.status, errorCode(notMine)]).toEqual([403, "forbidden"]);

    const thumbs = encodeURIComponent("👍");
    const updatesBefore = heard.filter((h) => h.event === "message:updated" && h.m.id === id).length;
    const add = await api("PUT", `${base}/reactions/${thumbs}`, { token: bobToken });
    expect(add.status).toBe(200);
    expect((add.body.message as ChatMessage).reactions).toEqual([
      { emoji: "👍", count: 1, users: [{ id: bob.id, displayName: bob.displayName }] },
    ]);
    const again = await api("PUT", `${base}/reactions/👍`, { token: bobToken });
    expect((again.body.message as ChatMessage).reactions[0]?.count).toBe(1);
    await settle();
    expect(heard.filter((h) => h.event === "message:updated" && h.m.id === id).length).toBe(
      updatesBefore + 1,
    );
    const notEmoji = await api("PUT", `${base}/reactions/abc`, { token: bobToken });
    expect([notEmoji.status, errorCode(notEmoji)]).toEqual([400, "validation"]);
    const removed = await api("DELETE", `${base}/reactions/${thumbs}`, { token: bobToken });
    expect((removed.body.message as ChatMessage).reactions).toEqual([]);

    const del = await api("DELETE", base, { token: aliceToken });
    expect(del.status).toBe(200);
    expect(del.body.message).toMatchObject({ id, deleted: true, body: "" });
    await until(() => heard.some((h) => h.event === "message:deleted" && h.m.id === id));
    const gone = await api("PATCH", base, { token: aliceToken, json: { body: "too late" } });
    expect([gone.status, errorCode(gone)]).toEqual([409, "conflict"]);
  });

  it("files: upload (multipart), attach to a message, download the same bytes; 404 for those who cannot read the room", async () => {
    const bytes = Buffer.from("release notes\n".repeat(50));
    const form = new FormData();
    form.append("roomId", roomId);
    form.append("file", new Blob([new Uint8Array(bytes)], { type: "text/plain" }), "notes.txt");
    const up = await api("POST", "/files", { token: aliceToken, form });
    expect(up.status).toBe(201);
    const file = up.body.file as FileView;
    expect(file).toMatchObject({ name: "notes.txt", size: bytes.length, kind: "file" });

    const sent = await api("POST", `/rooms/${roomId}/messages`, {
      token: aliceToken,
      json: { clientId: randomUUID(), fileIds: [file.id] },
    });
    expect(sent.status).toBe(201);
    expect((sent.body.message as ChatMessage).files.map((f) => f.id)).toEqual([file.id]);

    const down = await api("GET", `/files/${file.id}`, { token: bobToken });
    expect(down.status).toBe(200);
    expect(Buffer.from(await down.res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(down.res.headers.get("content-disposition")).toMatch(/^attachment/);
    // A guest sees only rooms they were added to: this public room's file is not there for them.
    const hidden = await api("GET", `/files/${file.id}`, { token: guestToken });
    expect([hidden.status, errorCode(hidden)]).toEqual([404, "not_found"]);
  });

  it("users: lookup with presence for room mates only; guests find only room mates", async () => {
    const seen = await api("GET", `/users/${bob.username}`, { token: aliceToken });
    expect(seen.status).toBe(200);
    expect(seen.body.user).toMatchObject({ id: bob.id, username: bob.username, presence: "online" });
    const noShared = await api("GET", `/users/${stranger.username}`, { token: aliceToken });
    expect(noShared.status).toBe(200);
    expect((noShared.body.user as Json).presence).toBeNull();
    const missing = await api("GET", "/users/nobody-by-that-name", { token: aliceToken });
    expect([missing.status, errorCode(missing)]).toEqual([404, "not_found"]);
    const hiddenFromGuest = await api("GET", `/users/${stranger.username}`, { token: guestToken });
    expect(hiddenFromGuest.status).toBe(404);
    const room = await makeRoom(alice, { isPrivate: true });
    await addMember(alice, room.id, { username: guest.username });
    const mate = await api("GET", `/users/${alice.username}`, { token: guestToken });
    expect(mate.status).toBe(200);
    expect((mate.body.user as Json).presence).toBe("offline");
  });

  it("a wrong method is a JSON 405 with Allow", async () => {
    const mod = modules.get("/rooms/{roomId}/messages") as Record<string, Handler>;
    const res = await (mod.PUT as Handler)(
      new Request("http://beacon.test/api/v1/rooms/x/messages", { method: "PUT" }),
      {
        params: Promise.resolve({ roomId: "x" }),
      },
    );
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });

  it("every operation's success answers were seen and matched the document's schema", () => {
    const missing: string[] = [];
    for (const o of OPERATIONS)
      for (const [status, r] of Object.entries(o.responses))
        if (r.schema && !checked.get(`${o.method} ${o.path} ${status}`))
          missing.push(`${o.method} ${o.path} ${status}`);
    expect(missing).toEqual([]);
    expect(checked.get("POST /rooms/{roomId}/messages 400")).toBeGreaterThan(0);
  });
});

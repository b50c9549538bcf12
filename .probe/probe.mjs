import { chromium } from "@playwright/test";
const base = "http://localhost:3231";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await (await browser.newContext({ baseURL: base })).newPage();
const u = "probe" + Date.now().toString(36);
await page.goto("/signup");
await page.getByLabel("Username").fill(u);
await page.getByLabel("Display name").fill("Probe");
await page.getByLabel("Password").fill("correct horse battery");
await page.getByRole("button", { name: "Sign up" }).click();
await page.waitForURL("**/rooms");
const room = await page.evaluate(async () => {
  const r = await fetch("/api/rooms", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "probe" + Math.random().toString(36).slice(2, 8) }) });
  return r.json();
});
console.log("room", JSON.stringify(room).slice(0, 200));
const res = await page.evaluate(async (roomId) => {
  const fd = new FormData();
  fd.append("roomId", roomId);
  fd.append("file", new File([new Uint8Array(5000).fill(65)], "a.txt", { type: "text/plain" }));
  const ctl = new AbortController();
  setTimeout(() => ctl.abort(), 3000);
  try {
    const r = await fetch("/api/files", { method: "POST", body: fd, signal: ctl.signal });
    return r.status + " " + (await r.text());
  } catch (e) { return "err " + e; }
}, room.room?.id ?? room.id);
console.log("upload", res);
const ck = await page.context().cookies();
console.log("COOKIE", ck.map((c) => `${c.name}=${c.value}`).join("; "));
console.log("ROOM", room.room?.id);
await browser.close();

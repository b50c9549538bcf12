// Drafts: what I type in a room and do not send is kept on the server, per room. It survives switching
// rooms and reloading, shows on my other devices (composer and sidebar marker, live), and sending
// clears it everywhere.
import { expect, type Page, test } from "@playwright/test";
import { createRoom, signUp, uniqueName } from "./helpers";

const sidebarLink = (page: Page, room: string) =>
  page.getByRole("navigation", { name: "Sidebar" }).getByRole("link", { name: new RegExp(room) });
const marker = (page: Page, room: string) => sidebarLink(page, room).getByRole("img", { name: "Draft" });

test("a draft survives room switches and reloads, follows me to another device live, and sending clears it everywhere", async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const a = await desk.newPage();
  const { username, password } = await signUp(a, "Drafter");
  const roomB = uniqueName("other");
  await createRoom(a, roomB);
  const roomA = uniqueName("drafts");
  const roomAId = await createRoom(a, roomA);
  const box = a.getByRole("textbox", { name: "Message" });
  await expect(marker(a, roomA)).toHaveCount(0);

  // Typed, not sent: saved after a pause, and the sidebar marks the room.
  await box.fill("half a thought about the roadmap");
  await expect(marker(a, roomA)).toBeVisible();

  // Another room and back: still there. The other room's composer is its own.
  await sidebarLink(a, roomB).click();
  await expect(a.getByRole("log", { name: `Messages in #${roomB}` })).toBeVisible();
  await expect(box).toHaveValue("");
  await sidebarLink(a, roomA).click();
  await expect(a.getByRole("log", { name: `Messages in #${roomA}` })).toBeVisible();
  await expect(box).toHaveValue("half a thought about the roadmap");

  // Switching away before the save's delay is over keeps the text too.
  await box.fill("half a thought about the roadmap, v2");
  await sidebarLink(a, roomB).click();
  await expect(a.getByRole("log", { name: `Messages in #${roomB}` })).toBeVisible();
  await sidebarLink(a, roomA).click();
  await expect(box).toHaveValue("half a thought about the roadmap, v2");

  // Reload: the page arrives with the draft in the composer (server-rendered, no flash).
  await expect(async () => {
    const html = await (await a.request.get(`/rooms/${roomAId}`)).text();
    expect(html).toContain("half a thought about the roadmap, v2");
  }).toPass();
  await a.reload();
  await expect(box).toHaveValue("half a thought about the roadmap, v2");
  await expect(marker(a, roomA)).toBeVisible();

  // My phone: signed in as me, it shows the draft in the room and the marker in the sidebar.
  const phoneCtx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const p = await phoneCtx.newPage();
  await p.goto("/signin");
  await p.waitForLoadState("networkidle"); // a fill before hydration is lost
  await p.getByLabel("Username").fill(username);
  await p.getByLabel("Password").fill(password);
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.waitForURL("**/rooms**");
  await p.goto(`/rooms/${roomAId}`);
  const phoneBox = p.getByRole("textbox", { name: "Message" });
  await expect(phoneBox).toHaveValue("half a thought about the roadmap, v2");
  await p.getByRole("button", { name: "Open sidebar" }).click();
  await expect(marker(p, roomA)).toBeVisible();
  await expect(marker(p, roomB)).toHaveCount(0);
  await p.screenshot({ path: testInfo.outputPath("phone-draft-marker.png") });
  await p.getByRole("button", { name: "Close sidebar" }).first().click();

  // Typed on the desk while the phone's composer sits unfocused: the phone follows, live.
  await box.fill("the final wording");
  await expect(phoneBox).toHaveValue("the final wording");

  // Never over what someone is typing: the phone's own edit (focused) is not replaced.
  await box.blur(); // the desk's person looks away
  await phoneBox.click();
  await phoneBox.fill("typed on the phone");
  await expect(box).toHaveValue("typed on the phone"); // the desk is not focused: it follows
  await box.click();
  await box.fill("the final wording, from the desk");
  await a.waitForTimeout(1500);
  await expect(phoneBox).toHaveValue("typed on the phone");
  await p.getByRole("button", { name: "Open sidebar" }).click();
  await expect(marker(p, roomA)).toBeVisible();
  await p.getByRole("button", { name: "Close sidebar" }).first().click();

  // Sent from the desk: the draft is gone from the desk, the server and the phone's sidebar.
  await box.press("Enter");
  await expect(a.getByRole("log").getByText("the final wording, from the desk")).toBeVisible();
  await expect(box).toHaveValue("");
  await expect(marker(a, roomA)).toHaveCount(0);
  await p.getByRole("button", { name: "Open sidebar" }).click();
  await expect(marker(p, roomA)).toHaveCount(0);
  await p.getByRole("button", { name: "Close sidebar" }).first().click();
  // The phone's composer was focused with its own text: that text stays until it is sent or erased.
  await expect(phoneBox).toHaveValue("typed on the phone");
  await phoneBox.fill("");
  await a.reload();
  await expect(box).toHaveValue("");
  await p.reload();
  await expect(phoneBox).toHaveValue("");
  await expect(marker(a, roomA)).toHaveCount(0);
  await desk.close();
  await phoneCtx.close();
});

test("sending clears the draft on my other device's composer and sidebar", async ({ browser }) => {
  const one = await browser.newContext();
  const a = await one.newPage();
  const { username, password } = await signUp(a, "Sender");
  const room = uniqueName("sendclear");
  const roomId = await createRoom(a, room);
  const two = await browser.newContext();
  const b = await two.newPage();
  await b.goto("/signin");
  await b.waitForLoadState("networkidle");
  await b.getByLabel("Username").fill(username);
  await b.getByLabel("Password").fill(password);
  await b.getByRole("button", { name: "Sign in" }).click();
  await b.waitForURL("**/rooms**");
  await b.goto(`/rooms/${roomId}`);
  const boxA = a.getByRole("textbox", { name: "Message" });
  const boxB = b.getByRole("textbox", { name: "Message" });
  await boxA.fill("see you at 3");
  await expect(boxB).toHaveValue("see you at 3");
  await expect(marker(b, room)).toBeVisible();
  await boxA.press("Enter");
  await expect(boxB).toHaveValue("");
  await expect(marker(b, room)).toHaveCount(0);
  await expect(marker(a, room)).toHaveCount(0);
  await expect(b.getByRole("log").getByText("see you at 3")).toBeVisible();
  await one.close();
  await two.close();
});

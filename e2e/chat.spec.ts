// Two people, two browser contexts: create, find, join, talk live, reload, go offline and back.
import { expect, test } from "./fixtures";
import { createRoom, joinRoom, messageBodies, messageSeqs, sendMessage, uniqueName } from "./helpers";

test("two people meet in a room and talk live; history survives a reload", async ({ pair }) => {
  const [{ page: a }, { page: b }] = pair;
  const roomName = uniqueName("design");
  const roomId = await createRoom(a, roomName, { topic: "Pixels and people" });
  await expect(
    a.getByRole("navigation", { name: "Sidebar" }).getByRole("link", { name: roomName }),
  ).toBeVisible();

  await b.getByRole("link", { name: "Browse", exact: true }).click();
  await b.getByLabel("Filter rooms").fill(roomName);
  await b.getByRole("button", { name: "Filter" }).click();
  const row = b.getByRole("listitem").filter({ hasText: roomName });
  await expect(row).toContainText("1 member");
  await row.getByRole("button", { name: "Join room" }).click();
  await b.waitForURL(`**/rooms/${roomId}`);
  await expect(b.getByRole("textbox", { name: "Message" })).toBeVisible();

  await sendMessage(a, "Hello Bo <script>alert(1)</script>");
  await expect(b.getByRole("log")).toContainText("Hello Bo <script>alert(1)</script>", { timeout: 2000 });
  await sendMessage(b, "Hi Ana!");
  await expect(a.getByRole("log")).toContainText("Hi Ana!", { timeout: 2000 });

  // Shift+Enter makes a new line; Enter sends.
  const box = a.getByRole("textbox", { name: "Message" });
  await box.fill("first line");
  await box.press("Shift+Enter");
  await box.pressSequentially("second line");
  await box.press("Enter");
  await expect(b.getByTestId("message-body").last()).toHaveText("first line\nsecond line");

  // Whitespace cannot be sent; too long gets a clear error and nothing is sent.
  await box.fill("   ");
  await expect(a.getByRole("button", { name: "Send" })).toBeDisabled();
  await box.fill("x".repeat(4001));
  await expect(a.getByRole("alert").filter({ hasText: "too long" })).toHaveText(
    "Message is too long (4,001 / 4,000 characters)",
  );
  await box.press("Enter");
  await expect(box).toHaveValue("x".repeat(4001));
  await box.fill("");

  const expected = ["Hello Bo <script>alert(1)</script>", "Hi Ana!", "first line\nsecond line"];
  await expect.poll(() => messageBodies(a)).toEqual(expected);
  await b.reload();
  await expect.poll(() => messageBodies(b)).toEqual(expected);
  expect(await messageSeqs(b)).toEqual([1, 2, 3]);
  await expect(b.getByText(`This is the beginning of #${roomName}`)).toBeVisible();
});

test("messages sent while someone is offline arrive exactly once, in order, and their own queued messages go out", async ({
  pair,
}) => {
  const [{ page: a }, { context: ctxB, page: b }] = pair;
  const roomName = uniqueName("ops");
  const roomId = await createRoom(a, roomName);
  await joinRoom(b, roomId);
  await sendMessage(a, "before the outage");
  await expect(b.getByRole("log")).toContainText("before the outage");

  await ctxB.setOffline(true);
  await expect(b.getByRole("status")).toContainText("Reconnecting");
  for (const text of ["while away 1", "while away 2", "while away 3"]) await sendMessage(a, text);
  await expect.poll(() => messageBodies(a)).toContain("while away 3");
  // Bo types while offline: queued, shown as waiting, sent in order when the network returns.
  await sendMessage(b, "typed offline 1");
  await sendMessage(b, "typed offline 2");
  await expect(b.getByTestId("pending-message")).toHaveCount(2);
  await expect(b.getByTestId("pending-message").first()).toContainText("Waiting for connection");

  await ctxB.setOffline(false);
  const all = [
    "before the outage",
    "while away 1",
    "while away 2",
    "while away 3",
    "typed offline 1",
    "typed offline 2",
  ];
  await expect.poll(() => messageBodies(b), { timeout: 15_000 }).toEqual(all);
  await expect(b.getByTestId("pending-message")).toHaveCount(0);
  expect(await messageSeqs(b)).toEqual([1, 2, 3, 4, 5, 6]);
  await expect.poll(() => messageBodies(a)).toEqual(all);
  await a.reload();
  await expect.poll(() => messageBodies(a)).toEqual(all);
});

test("a message queued offline in a tab that is then closed goes out from the next tab, once", async ({
  pair,
}) => {
  const [{ page: a }, { context: ctxB, page: b1 }] = pair;
  const roomName = uniqueName("tabs");
  const roomId = await createRoom(a, roomName);
  await joinRoom(b1, roomId);

  await ctxB.setOffline(true);
  await expect(b1.getByRole("status")).toContainText("Reconnecting");
  await sendMessage(b1, "queued, then the tab closed");
  await expect(b1.getByTestId("pending-message")).toHaveCount(1);
  const b2 = await ctxB.newPage();
  await b1.close();
  await ctxB.setOffline(false);
  await b2.goto(`/rooms/${roomId}`);
  await expect.poll(() => messageBodies(a), { timeout: 10_000 }).toEqual(["queued, then the tab closed"]);
  await expect(b2.getByTestId("pending-message")).toHaveCount(0);
  await expect.poll(() => messageBodies(b2)).toEqual(["queued, then the tab closed"]);
});

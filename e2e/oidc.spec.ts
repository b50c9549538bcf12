// OpenID Connect end to end: a real OpenID Provider (oidc-provider, scripts/oidc-test-provider.ts)
// on loopback and two Beacon servers of their own pointed at it (one with password sign-in, one
// SSO-only), driven in Chromium through the authorization code + PKCE flow. Both provider set-ups:
// profile claims only from /userinfo (the spec's default) and profile claims in the ID token.
import { randomUUID } from "node:crypto";
import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { startTestProvider, type TestAccount, type TestProvider } from "@/scripts/oidc-test-provider";
import { signInCookie, startServerWithOwnDatabase } from "@/scripts/server-harness";

type Running = Awaited<ReturnType<typeof startServerWithOwnDatabase>>;

// Each test drives several full round trips through the provider on a shared, busy machine.
test.describe.configure({ mode: "serial", timeout: 300_000 });

let op: TestProvider;
let main: Running;
let ssoOnly: Running;
let base: string;
let ssoBase: string;
let dbClient: pg.Client;

const tag = () => randomUUID().slice(0, 6);

test.beforeAll(async () => {
  test.setTimeout(240_000);
  op = await startTestProvider();
  const oidc = {
    OIDC_ISSUER: op.issuer,
    OIDC_ID: op.clientId,
    OIDC_SECRET: op.clientSecret,
    OIDC_NAME: "Test SSO",
    OIDC_ALLOWED_GROUPS: "beacon-users",
    OIDC_ADMIN_GROUPS: "beacon-admins",
  };
  [main, ssoOnly] = await Promise.all([
    startServerWithOwnDatabase(oidc),
    startServerWithOwnDatabase({ ...oidc, AUTH_PASSWORD: "off" }),
  ]);
  // NEXTAUTH_URL defaults to http://localhost:<port>: the browser must use that origin.
  base = main.server.url.replace("127.0.0.1", "localhost");
  ssoBase = ssoOnly.server.url.replace("127.0.0.1", "localhost");
  await op.setBeacons([base, ssoBase]);
  dbClient = new pg.Client({ connectionString: main.databaseUrl });
  await dbClient.connect();
});

test.afterAll(async () => {
  await dbClient?.end();
  await Promise.all([main?.stopAll(), ssoOnly?.stopAll()]);
  await op?.close();
});

test.beforeEach(() => op.setMode("userinfo"));

function account(groups = ["beacon-users"], extra: Partial<TestAccount> = {}): TestAccount {
  const t = tag();
  return op.addAccount({
    login: `login-${t}`,
    sub: `sub-${randomUUID()}`,
    preferred_username: `kim.${t}`,
    name: `Kim ${t}`,
    email: `kim.${t}@example.test`,
    groups,
    ...extra,
  });
}

/** Click "Sign in with Test SSO" on Beacon and log in at the provider. */
async function ssoSignIn(page: Page, login: string, at = base): Promise<void> {
  await page.goto(`${at}/signin`);
  await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
  await page.getByLabel("Login").fill(login);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((u) => u.href.startsWith(at) && !u.pathname.startsWith("/api/"));
}

/** The page's own alerts (Next's route announcer has role="alert" too). */
function alert(page: Page) {
  return page.locator('[role="alert"]:not(#__next-route-announcer__)');
}

async function sessionUser(page: Page, at = base) {
  const res = await page.request.get(`${at}/api/auth/session`);
  return ((await res.json()) as { user?: { id: string; username: string; name: string } }).user;
}

async function row(sql: string, params: unknown[]) {
  return (await dbClient.query(sql, params)).rows[0] as Record<string, unknown> | undefined;
}

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  // A failure's server side: the warnings and errors Beacon logged, in the report.
  const info = test.info();
  if (info.status !== info.expectedStatus)
    await info.attach("beacon-log", {
      body: [main, ssoOnly]
        .map((r) => r.server.logs.filter((l) => /"level":(40|50|60)/.test(l)).join(""))
        .join("\n"),
    });
});

/** A page in a browser of its own (no cookies at Beacon or at the provider). */
async function fresh(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

for (const mode of ["userinfo", "id_token"] as const) {
  test(`${mode}: first sign-in creates the account from the profile, the second finds it by sub, sign-out ends the provider session`, async ({
    browser,
  }) => {
    op.setMode(mode);
    const a = account();
    const page = await fresh(browser);
    await ssoSignIn(page, a.login);
    const first = await sessionUser(page);
    // Not "@user1234": the name and username came from the ID token or /userinfo.
    expect(first).toMatchObject({ username: a.preferred_username, name: a.name });
    const link = await row(
      `SELECT "userId"::text AS uid FROM "Account" WHERE provider = 'oidc' AND "providerAccountId" = $1`,
      [a.sub],
    );
    expect(link?.uid).toBe(first?.id);

    // Sign out: Beacon's own sign-out, then the provider's end_session_endpoint, then back to sign-in.
    await page.goto(`${base}/`);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("button", { name: "Sign out of the provider" }).click();
    await page.waitForURL(`${base}/signin`);
    const end = op.requests.filter((r) => r.startsWith("GET /session/end?")).at(-1);
    expect(end).toContain("id_token_hint=");
    expect(end).toContain(`post_logout_redirect_uri=${encodeURIComponent(`${base}/signin`)}`);
    expect(await sessionUser(page)).toBeUndefined();

    // The provider renamed the person and changed the e-mail: the subject still finds the same account.
    a.preferred_username = `renamed.${tag()}`;
    a.email = `other.${tag()}@example.test`;
    await ssoSignIn(page, a.login); // the provider asks to log in again: its session ended too
    const second = await sessionUser(page);
    expect(second?.id).toBe(first?.id);
    expect(second?.username).toBe(first?.username);
  });
}

test("a taken username gets a choice: another username, or sign in with the password to link (never implicit)", async ({
  browser,
}) => {
  const taken = `taken${tag()}`;
  await signInCookie(main.server.url, taken);
  const a = account(["beacon-users"], { preferred_username: taken });
  const page = await fresh(browser);
  await ssoSignIn(page, a.login);
  await expect(page).toHaveURL(`${base}/signin/choose`);
  await expect(page.getByRole("heading", { name: "Choose a username" })).toBeVisible();
  await expect(page.getByText(`@${taken} already belongs to another Beacon account`)).toBeVisible();
  const input = page.getByLabel("Username");
  await expect(input).toHaveValue(`${taken}2`);
  await input.fill(taken);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(alert(page)).toHaveText("That username is taken");
  await input.fill(`${taken}2`);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(
    (u) => u.href.startsWith(base) && !u.pathname.startsWith("/signin") && !u.pathname.startsWith("/api/"),
  );
  expect((await sessionUser(page))?.username).toBe(`${taken}2`);

  // "This is my account": the password proves it, then linking is confirmed explicitly.
  const mine = `mine${tag()}`;
  await signInCookie(main.server.url, mine);
  const b = account(["beacon-users"], { preferred_username: mine });
  const page2 = await fresh(browser);
  await ssoSignIn(page2, b.login);
  await expect(page2).toHaveURL(`${base}/signin/choose`);
  expect(await row(`SELECT 1 FROM "Account" WHERE "providerAccountId" = $1`, [b.sub])).toBeUndefined();
  await page2.getByRole("link", { name: "This is my account: sign in with password to link" }).click();
  await expect(page2).toHaveURL(`${base}/signin?callbackUrl=%2Fsettings%2Flink`);
  // The form has hydrated once React has focused its first field (autoFocus is not in the HTML):
  // a click before that would not run the sign-in at all.
  await expect(page2.getByLabel("Username")).toBeFocused();
  await page2.getByLabel("Username").fill(mine);
  await page2.getByLabel("Password").fill("correct horse battery");
  await page2.getByRole("button", { name: "Sign in", exact: true }).click();
  // Password hashing, the session and the next page on a busy two-core CI box: allow it time; a
  // refused sign-in fails at once with the form's own words.
  await expect
    .poll(
      async () =>
        (await alert(page2).count()) ? `alert: ${await alert(page2).first().textContent()}` : page2.url(),
      {
        timeout: 30_000,
      },
    )
    .toBe(`${base}/settings/link`);
  await page2.getByRole("button", { name: "Link Test SSO" }).click();
  await expect(page2.getByRole("region", { name: "Sign-in methods" }).getByRole("status")).toHaveText(
    "Test SSO is linked.",
  );
  const owner = await row(
    `SELECT u.username FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE a."providerAccountId" = $1`,
    [b.sub],
  );
  expect(owner?.username).toBe(mine);
  // Now that identity signs in to the existing account.
  const page3 = await fresh(browser);
  await ssoSignIn(page3, b.login);
  expect((await sessionUser(page3))?.username).toBe(mine);
});

test("a tampered state and a swapped nonce are refused with a readable error", async ({ browser }) => {
  const a = account();
  const page = await fresh(browser);
  // The authorization request leaves Beacon with its state; the answer comes back with another.
  // (Playwright does not intercept redirect hops, so the state is changed on the way out.)
  const toProvider = (u: URL) => u.href.startsWith(`${op.issuer}/auth?`);
  await page.route(toProvider, (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set("state", "tampered");
    return route.continue({ url: url.toString() });
  });
  await ssoSignIn(page, a.login);
  await expect(alert(page)).toContainText("The sign-in could not be verified");
  expect(await sessionUser(page)).toBeUndefined();
  expect(op.requests.some((r) => r.includes("state=tampered"))).toBe(true);

  // The nonce of an earlier, abandoned sign-in put back: the ID token's nonce no longer matches.
  const b = account();
  const page2 = await fresh(browser);
  await page2.goto(`${base}/signin`);
  await page2.getByRole("button", { name: "Sign in with Test SSO" }).click();
  await page2.waitForURL((u) => u.href.startsWith(op.issuer));
  const oldNonce = (await page2.context().cookies(base)).find((c) => c.name === "next-auth.nonce");
  expect(oldNonce).toBeTruthy();
  await page2.goto(`${base}/signin`);
  await page2.getByRole("button", { name: "Sign in with Test SSO" }).click();
  await page2.waitForURL((u) => u.href.startsWith(op.issuer));
  if (oldNonce) await page2.context().addCookies([oldNonce]);
  await page2.getByLabel("Login").fill(b.login);
  await page2.getByRole("button", { name: "Sign in", exact: true }).click();
  await page2.waitForURL((u) => u.href.startsWith(`${base}/signin`));
  await expect(alert(page2)).toContainText("The sign-in could not be verified");
  expect(await row(`SELECT 1 FROM "Account" WHERE "providerAccountId" = $1`, [b.sub])).toBeUndefined();
});

test("a provider that is not the configured issuer is refused", async ({ browser }) => {
  op.setMode("impostor");
  const a = account();
  const page = await fresh(browser);
  await ssoSignIn(page, a.login);
  await expect(alert(page)).toContainText("did not come from the configured issuer");
  expect(await row(`SELECT 1 FROM "Account" WHERE "providerAccountId" = $1`, [a.sub])).toBeUndefined();
});

test("groups: outside OIDC_ALLOWED_GROUPS is refused; OIDC_ADMIN_GROUPS gives admin on each sign-in and takes it back, never from an owner", async ({
  browser,
}) => {
  const outsider = account(["contractors"]);
  const page = await fresh(browser);
  await ssoSignIn(page, outsider.login);
  await expect(alert(page)).toHaveText("Your account is not in a group allowed to use Beacon.");
  expect(await row(`SELECT 1 FROM "Account" WHERE "providerAccountId" = $1`, [outsider.sub])).toBeUndefined();

  op.setMode("id_token");
  const boss = account(["beacon-admins"]);
  const page2 = await fresh(browser);
  await ssoSignIn(page2, boss.login);
  const id = (await sessionUser(page2))?.id;
  expect((await row(`SELECT role FROM "User" WHERE id = $1`, [id]))?.role).toBe("admin");
  boss.groups = ["beacon-users"]; // left the admin group at the provider
  const page3 = await fresh(browser);
  await ssoSignIn(page3, boss.login);
  expect((await row(`SELECT role FROM "User" WHERE id = $1`, [id]))?.role).toBe("member");
  await dbClient.query(`UPDATE "User" SET role = 'owner' WHERE id = $1`, [id]);
  const page4 = await fresh(browser);
  await ssoSignIn(page4, boss.login);
  expect((await row(`SELECT role FROM "User" WHERE id = $1`, [id]))?.role).toBe("owner");
});

test("Settings links and unlinks a provider explicitly, never the last way in, never one linked elsewhere", async ({
  browser,
}) => {
  const username = `pw${tag()}`;
  await signInCookie(main.server.url, username);
  const a = account();
  const page = await fresh(browser);
  await page.goto(`${base}/signin`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
  await page.goto(`${base}/settings`);
  const methods = page.getByRole("region", { name: "Sign-in methods" });
  await methods.getByRole("button", { name: "Link Test SSO" }).click();
  await page.getByLabel("Login").fill(a.login);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${base}/settings?linked=oidc`);
  await expect(methods.getByRole("status")).toHaveText("Test SSO is linked.");
  expect((await sessionUser(page))?.username).toBe(username); // still the same session and person
  const owner = await row(
    `SELECT u.username FROM "Account" a JOIN "User" u ON u.id = a."userId" WHERE a."providerAccountId" = $1`,
    [a.sub],
  );
  expect(owner?.username).toBe(username);
  await methods.getByRole("button", { name: "Unlink Test SSO" }).click();
  await expect(methods.getByRole("status")).toHaveText("Test SSO is unlinked.");
  expect(await row(`SELECT 1 FROM "Account" WHERE "providerAccountId" = $1`, [a.sub])).toBeUndefined();

  // An SSO-only account cannot remove its only way in; and an identity of someone else is not taken over.
  const b = account();
  const page2 = await fresh(browser);
  await ssoSignIn(page2, b.login);
  await page2.goto(`${base}/settings`);
  const methods2 = page2.getByRole("region", { name: "Sign-in methods" });
  await methods2.getByRole("button", { name: "Unlink Test SSO" }).click();
  await expect(methods2.getByRole("alert")).toHaveText(
    "Test SSO is your only way to sign in: link another provider before unlinking it.",
  );
  await page.goto(`${base}/settings`);
  // The provider still has a session for `a` in this browser: end it, to log in as b.
  await page.context().clearCookies({ domain: "127.0.0.1" });
  await methods.getByRole("button", { name: "Link Test SSO" }).click();
  await page.getByLabel("Login").fill(b.login);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${base}/settings?linkError=elsewhere`);
  await expect(methods.getByRole("alert")).toContainText("already linked to another Beacon account");
});

test("SSO-only mode: no password form or sign-up, provider buttons only, and sign-in through the provider works", async ({
  browser,
}) => {
  const page = await fresh(browser);
  await page.goto(`${ssoBase}/signin`);
  await expect(page.getByRole("button", { name: "Sign in with Test SSO" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Create an account" })).toHaveCount(0);
  await page.goto(`${ssoBase}/signup`);
  await expect(alert(page)).toContainText("there is no sign-up with a password");
  const res = await fetch(`${ssoOnly.server.url}/api/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: `x${tag()}`, displayName: "X", password: "correct horse battery" }),
  });
  expect(res.status).toBe(403);
  expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
    "Sign-up with a password is turned off",
  );
  // The credentials provider is not registered at all.
  const providers = (await (await fetch(`${ssoOnly.server.url}/api/auth/providers`)).json()) as Record<
    string,
    unknown
  >;
  expect(Object.keys(providers)).toEqual(["oidc"]);

  const a = account();
  await ssoSignIn(page, a.login, ssoBase);
  expect((await sessionUser(page, ssoBase))?.username).toBe(a.preferred_username);
  await page.goto(`${ssoBase}/settings`);
  await expect(page.getByText("Turned off on this server")).toBeVisible();
  await expect(page.getByLabel("Current password")).toHaveCount(0);
});

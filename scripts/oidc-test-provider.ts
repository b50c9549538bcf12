// A real OpenID Provider on loopback for the OIDC tests (e2e/oidc.spec.ts).
//
// It is `oidc-provider` (the certified Node implementation) with its in-memory development
// adapter, behind one loopback HTTP server whose URL is the issuer. Three set-ups of the provider
// share that URL, keys and accounts, and the test picks which one answers:
// - "userinfo" (the spec's default, oidc-provider's own): the ID token carries only `sub` and the
//   protocol claims; name, preferred_username, email and groups come from /userinfo.
// - "id_token": the profile claims are in the ID token too (`conformIdTokenClaims: false`), like a
//   Keycloak client with its mappers' "Add to ID token" on.
// - "impostor": a provider that says it is another issuer (`<url>/impostor`), for the wrong-issuer test.
// The login page is a tiny form (a login name and a "Sign in" button); the consent step is skipped
// (a first-party client), as company identity providers do for their own apps.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ProviderMode = "userinfo" | "id_token" | "impostor";

export interface TestAccount {
  /** What the test types into the provider's login form. */
  login: string;
  sub: string;
  preferred_username?: string;
  name?: string;
  email?: string;
  groups?: string[];
}

export interface TestProvider {
  /** The issuer URL (OIDC_ISSUER). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Register the Beacons' public URLs (redirect and post-logout URIs); call once they are up. */
  setBeacons(urls: string[]): Promise<void>;
  setMode(mode: ProviderMode): void;
  addAccount(account: TestAccount): TestAccount;
  /** Requests the provider answered, newest last ("GET /session/end?..." etc.). */
  requests: string[];
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: oidc-provider ships no types
type OidcProvider = any;

const CLIENT_ID = "beacon";
const CLIENT_SECRET = "beacon-test-client-secret-0123456789";

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function startTestProvider(): Promise<TestProvider> {
  // oidc-provider is ESM only; Node 20.19+ can load it from this file either way.
  const { default: Provider } = (await import("oidc-provider")) as { default: OidcProvider };
  const accounts = new Map<string, TestAccount>();
  const requests: string[] = [];
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-key", use: "sig", alg: "RS256" };
  const cookieKeys = [randomUUID()];

  let mode: ProviderMode = "userinfo";
  let instances: Record<ProviderMode, OidcProvider> | undefined;

  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    void handle(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function build(beacons: string[], which: ProviderMode): OidcProvider {
    const provider = new Provider(which === "impostor" ? `${issuer}/impostor` : issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: beacons.map((b) => `${b}/api/auth/callback/oidc`),
          post_logout_redirect_uris: beacons.map((b) => `${b}/signin`),
          grant_types: ["authorization_code"],
          response_types: ["code"],
          token_endpoint_auth_method: "client_secret_basic",
        },
      ],
      jwks: { keys: [jwk] },
      cookies: { keys: cookieKeys },
      pkce: { required: () => true },
      scopes: ["openid", "profile", "email"],
      claims: {
        openid: ["sub"],
        profile: ["name", "preferred_username", "groups"],
        email: ["email", "email_verified"],
      },
      conformIdTokenClaims: which !== "id_token",
      features: {
        devInteractions: { enabled: false },
        rpInitiatedLogout: {
          enabled: true,
          // Confirm the logout without a page of the provider's own: the tests check the redirect.
          logoutSource: async (ctx: { body: string }, form: string) => {
            ctx.body = page(
              "Sign out of the test provider",
              `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out of the provider</button>`,
            );
          },
        },
      },
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      },
      async loadExistingGrant(ctx: OidcProvider) {
        // First-party client: everything it asks for is granted, no consent screen.
        const grant = new ctx.oidc.provider.Grant({
          clientId: ctx.oidc.client.clientId,
          accountId: ctx.oidc.session.accountId,
        });
        grant.addOIDCScope("openid profile email");
        await grant.save();
        return grant;
      },
      // The account id is the subject (oidc-provider makes `sub` the account id).
      async findAccount(_ctx: unknown, sub: string) {
        const account = [...accounts.values()].find((a) => a.sub === sub);
        if (!account) return undefined;
        return {
          accountId: sub,
          async claims() {
            const { login: _login, ...claims } = account;
            return { ...claims, email_verified: Boolean(account.email) };
          },
        };
      },
      ttl: {
        Session: 3600,
        Interaction: 600,
        Grant: 3600,
        AccessToken: 600,
        IdToken: 600,
        AuthorizationCode: 60,
      },
    });
    provider.proxy = false;
    // Quiet: the tests provoke errors on purpose.
    provider.on("server_error", () => {});
    return provider;
  }

  async function interaction(
    provider: OidcProvider,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (req.method === "POST") {
      const form = await readForm(req);
      const login = form.get("login") ?? "";
      const account = accounts.get(login);
      if (!account) {
        res.setHeader("content-type", "text/html; charset=utf-8");
        res.end(
          page(
            "Sign in to the test provider",
            `<p role="alert">No such account: ${esc(login)}</p>${loginForm(details.uid)}`,
          ),
        );
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.sub } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(page("Sign in to the test provider", loginForm(details.uid)));
  }

  function loginForm(uid: string): string {
    return `<form method="post" action="/interaction/${esc(uid)}"><label>Login <input name="login" autocomplete="off" required></label> <label>Password <input name="password" type="password"></label> <button type="submit">Sign in</button></form>`;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!instances) {
      res.statusCode = 503;
      res.end("not configured yet");
      return;
    }
    const provider = instances[mode];
    if (req.url?.startsWith("/interaction/")) return interaction(provider, req, res);
    provider.callback()(req, res);
  }

  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    async setBeacons(urls: string[]) {
      const beacons = urls.map((u) => u.replace(/\/$/, ""));
      instances = {
        userinfo: build(beacons, "userinfo"),
        id_token: build(beacons, "id_token"),
        impostor: build(beacons, "impostor"),
      };
    },
    setMode(m: ProviderMode) {
      mode = m;
    },
    addAccount(account: TestAccount) {
      accounts.set(account.login, account);
      return account;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

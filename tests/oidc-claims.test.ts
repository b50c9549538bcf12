// The pure rules of an OAuth/OIDC sign-in: claims → profile, /userinfo merging, groups → access and
// role, the issuer comparison, and the sign-in page's names for callback failures.
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { signInErrorKey } from "@/app/(auth)/signin/sign-in-errors";
import { classifyOAuthFailure } from "@/lib/auth/auth-request";
import {
  baseUsername,
  decideGroups,
  groupsFromClaims,
  hasProfileClaims,
  mergeUserinfo,
  profileFromClaims,
  roleAfterSignIn,
  sameIssuer,
  usernameCandidates,
} from "@/lib/auth/oidc-claims";
import { openCookie, sealCookie } from "@/lib/auth/signed-cookie";
import { parseEnv } from "@/lib/env";
import errors from "@/lib/i18n/messages/en/errors.json";

const t = createTranslator({ locale: "en", messages: { errors }, namespace: "errors" });
/** What the sign-in page shows for `?error=` (app/(auth)/signin/page.tsx). */
const signInErrorMessage = (raw: string | string[] | undefined): string | undefined => {
  const key = signInErrorKey(raw);
  return key && t(key as Parameters<typeof t>[0]);
};

describe("claims → profile", () => {
  it("takes the subject as the identity and the profile claims as they are", () => {
    expect(
      profileFromClaims({
        sub: "248289761001",
        preferred_username: "j.doe",
        name: "Jane Doe",
        email: "jane@example.com",
        groups: ["staff", "beacon-admins"],
      }),
    ).toEqual({
      id: "248289761001",
      username: "j.doe",
      name: "Jane Doe",
      email: "jane@example.com",
      groups: ["staff", "beacon-admins"],
    });
  });

  it("reads GitHub's numeric id and login", () => {
    expect(profileFromClaims({ id: 583231, login: "octocat", name: "The Octocat" })).toMatchObject({
      id: "583231",
      username: "octocat",
    });
  });

  it("refuses a profile without a subject (an e-mail is never the identity)", () => {
    expect(() => profileFromClaims({ email: "a@b.c", preferred_username: "a" })).toThrow(/no subject/);
  });

  it("knows when the ID token lacks the profile (the spec's default code flow: only sub)", () => {
    expect(hasProfileClaims({ sub: "1", iss: "x", aud: "y" })).toBe(false);
    expect(hasProfileClaims({ sub: "1", name: "  " })).toBe(false);
    expect(hasProfileClaims({ sub: "1", preferred_username: "kim" })).toBe(true);
    expect(hasProfileClaims({ sub: "1", name: "Kim" })).toBe(true);
  });

  it("completes the ID token with /userinfo, the ID token winning, and refuses another subject's userinfo", () => {
    const merged = mergeUserinfo(
      { sub: "s1", iss: "https://idp", nonce: "n" },
      { sub: "s1", name: "Kim Lee", preferred_username: "kim", iss: "ignored" },
    );
    expect(merged).toMatchObject({
      sub: "s1",
      name: "Kim Lee",
      preferred_username: "kim",
      iss: "https://idp",
    });
    expect(() => mergeUserinfo({ sub: "s1" }, { sub: "s2", name: "Mallory" })).toThrow(/sub/);
  });

  it("turns the provider's name into a valid username", () => {
    expect(baseUsername({ username: "Jane.Doe" })).toBe("jane.doe");
    expect(baseUsername({ email: "Kim+tag@example.com" })).toBe("kimtag");
    expect(baseUsername({ name: "Zoë" })).toBe("userzo");
    expect(baseUsername({})).toBe("user");
    expect(usernameCandidates("alice", 3)).toEqual(["alice", "alice2", "alice3"]);
  });
});

describe("groups", () => {
  it("reads an array, a comma/space string, or a dotted path like Keycloak's realm_access.roles", () => {
    expect(groupsFromClaims({ groups: ["a", "b", "a", 7] })).toEqual(["a", "b", "7"]);
    expect(groupsFromClaims({ groups: "a, b c" })).toEqual(["a", "b", "c"]);
    expect(groupsFromClaims({ realm_access: { roles: ["beacon"] } }, "realm_access.roles")).toEqual([
      "beacon",
    ]);
    expect(groupsFromClaims({ "https://example.com/groups": ["x"] }, "https://example.com/groups")).toEqual([
      "x",
    ]);
    expect(groupsFromClaims({}, "groups")).toEqual([]);
    expect(groupsFromClaims({ groups: { evil: true } })).toEqual([]);
  });

  it("lets anyone in without an allow list, and only listed (or admin) groups with one", () => {
    expect(decideGroups([], { allowed: [], admin: [] })).toEqual({ allowed: true, admin: null });
    expect(decideGroups(["staff"], { allowed: ["beacon"], admin: [] }).allowed).toBe(false);
    expect(decideGroups(["beacon"], { allowed: ["beacon"], admin: [] }).allowed).toBe(true);
    expect(decideGroups(["ops"], { allowed: ["beacon"], admin: ["ops"] })).toEqual({
      allowed: true,
      admin: true,
    });
    expect(decideGroups(["beacon"], { allowed: ["beacon"], admin: ["ops"] })).toEqual({
      allowed: true,
      admin: false,
    });
  });

  it("promotes admin-group members, demotes admins who left the group, never touches owners", () => {
    const inAdmin = { allowed: true, admin: true };
    const notAdmin = { allowed: true, admin: false };
    const unmanaged = { allowed: true, admin: null };
    expect(roleAfterSignIn("member", inAdmin)).toBe("admin");
    expect(roleAfterSignIn("guest", inAdmin)).toBe("admin");
    expect(roleAfterSignIn("admin", notAdmin)).toBe("member");
    expect(roleAfterSignIn("moderator", notAdmin)).toBe("moderator");
    expect(roleAfterSignIn("owner", notAdmin)).toBe("owner");
    expect(roleAfterSignIn("owner", inAdmin)).toBe("owner");
    expect(roleAfterSignIn("admin", unmanaged)).toBe("admin");
  });
});

describe("issuer and callback failures", () => {
  it("compares issuers exactly, apart from a trailing slash (Authentik's issuer ends with one)", () => {
    expect(
      sameIssuer(
        "https://auth.example.com/application/o/beacon/",
        "https://auth.example.com/application/o/beacon/",
      ),
    ).toBe(true);
    expect(sameIssuer("https://kc.example.com/realms/acme", "https://kc.example.com/realms/acme/")).toBe(
      true,
    );
    expect(sameIssuer("https://kc.example.com/realms/acme", "https://kc.example.com/realms/other")).toBe(
      false,
    );
    expect(sameIssuer("https://kc.example.com/realms/acme", undefined)).toBe(false);
  });

  it("names state/nonce and issuer failures, and the sign-in page has a sentence for each", () => {
    expect(classifyOAuthFailure("state mismatch, expected abc, got: xyz")).toBe("OAuthState");
    expect(classifyOAuthFailure("State cookie was missing.")).toBe("OAuthState");
    expect(classifyOAuthFailure("nonce mismatch, expected a, got: b")).toBe("OAuthState");
    expect(classifyOAuthFailure("iss mismatch, expected https://a, got: https://b")).toBe("OAuthIssuer");
    expect(classifyOAuthFailure("issuer mismatch: OIDC_ISSUER is a, the provider says b")).toBe(
      "OAuthIssuer",
    );
    expect(classifyOAuthFailure("invalid_grant")).toBeUndefined();
    for (const code of ["OAuthState", "OAuthIssuer", "NotInAllowedGroup", "AccountDeactivated"])
      expect(signInErrorMessage(code)).not.toBe(signInErrorMessage("nonsense"));
    expect(signInErrorMessage("NotInAllowedGroup")).toBe(
      "Your account is not in a group allowed to use Beacon.",
    );
  });
});

describe("step cookies and settings", () => {
  it("opens only what it sealed, for the same purpose, before it expires", () => {
    const secret = "0123456789abcdef0123456789";
    const sealed = sealCookie(secret, "link", { uid: "u" }, 1_000);
    expect(openCookie(secret, "link", sealed, 2_000)).toMatchObject({ uid: "u" });
    expect(openCookie(secret, "pending", sealed, 2_000)).toBeNull();
    expect(openCookie("another-secret-of-enough-length", "link", sealed, 2_000)).toBeNull();
    expect(openCookie(secret, "link", sealed, 1_000 + 601_000)).toBeNull();
    const [body, sig] = sealed.split(".");
    const forged = `${Buffer.from(JSON.stringify({ uid: "admin", exp: 9e15 })).toString("base64url")}.${sig}`;
    expect(openCookie(secret, "link", forged, 2_000)).toBeNull();
    expect(openCookie(secret, "link", `${body}.${sig}.x`, 2_000)).toBeNull();
  });

  it("parses AUTH_PASSWORD and the group lists, and refuses SSO-only without a provider", () => {
    const e = parseEnv({
      AUTH_PASSWORD: "off",
      OIDC_ISSUER: "https://kc.example.com/realms/acme",
      OIDC_ID: "beacon",
      OIDC_SECRET: "s",
      OIDC_ALLOWED_GROUPS: " beacon-users, ,staff ",
      OIDC_ADMIN_GROUPS: "beacon-admins",
    });
    expect(e).toMatchObject({
      AUTH_PASSWORD: "off",
      OIDC_ALLOWED_GROUPS: ["beacon-users", "staff"],
      OIDC_ADMIN_GROUPS: ["beacon-admins"],
      OIDC_GROUPS_CLAIM: "groups",
    });
    expect(parseEnv({}).AUTH_PASSWORD).toBe("on");
    expect(() => parseEnv({ AUTH_PASSWORD: "off" })).toThrow(
      /AUTH_PASSWORD: off \(SSO-only\) needs a provider/,
    );
    expect(() => parseEnv({ AUTH_PASSWORD: "no" })).toThrow(/AUTH_PASSWORD/);
  });
});

// Sign-in page inputs an attacker controls: the post-sign-in redirect target and the ?error= key.
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/app/_lib/safe-callback";
import { signInErrorKey } from "@/app/(auth)/signin/sign-in-errors";
import errors from "@/lib/i18n/messages/en/errors.json";

const t = createTranslator({ locale: "en", messages: { errors }, namespace: "errors" });
/** What the sign-in page shows for `?error=` (app/(auth)/signin/page.tsx). */
const signInErrorMessage = (raw: string | string[] | undefined): string | undefined => {
  const key = signInErrorKey(raw);
  return key && t(key as Parameters<typeof t>[0]);
};

describe("safeCallbackUrl", () => {
  it.each([
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r/evil.com",
    "/\t\t//evil.com",
    "/\\evil.com",
    "/\\/evil.com",
    "/a\\..\\..\\evil.com",
    decodeURIComponent("%2F%09%2Fevil.com"),
    decodeURIComponent("%2F%0A%2Fevil.com"),
    decodeURIComponent("%2F%0D%2Fevil.com"),
    decodeURIComponent("%2F%5Cevil.com"),
    "/\u0000/evil.com",
    "/\u007f/evil.com",
    "//evil.com",
    "/.//evil.com",
    "/..//evil.com",
    "/a/../..//evil.com",
    "/%2e%2e//evil.com",
    "https://evil.com/",
    "javascript:alert(1)",
    "evil.com",
    "",
    "/signin",
    "/signin?callbackUrl=/rooms",
    "/SignIn",
    "/./signup",
    "/api/rooms",
    "/api",
  ])("refuses %j", (value) => {
    expect(safeCallbackUrl(value)).toBe("/rooms");
  });

  it("keeps same-site paths with their query and hash", () => {
    expect(safeCallbackUrl("/rooms/abc?x=1&y=%2F#msg-5")).toBe("/rooms/abc?x=1&y=%2F#msg-5");
    expect(safeCallbackUrl("/search?q=in%3A%23ops")).toBe("/search?q=in%3A%23ops");
    expect(safeCallbackUrl("/browse")).toBe("/browse");
    expect(safeCallbackUrl("/signinfo")).toBe("/signinfo");
    // still a path on this site: percent-encoded slashes and tabs are not separators
    expect(safeCallbackUrl("/%2F%2Fevil.com")).toBe("/%2F%2Fevil.com");
    expect(safeCallbackUrl("/%09/evil.com")).toBe("/%09/evil.com");
    expect(safeCallbackUrl(["/settings", "//evil.com"])).toBe("/settings");
    expect(safeCallbackUrl(undefined)).toBe("/rooms");
  });
});

describe("sign-in ?error= messages", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "nope"])(
    "gives the generic text for %j",
    (key) => {
      expect(signInErrorKey(key)).toBe("signIn.failed");
      expect(signInErrorMessage(key)).toBe("Sign-in failed. Try again.");
    },
  );

  it("maps next-auth's codes and ignores a missing or repeated error", () => {
    expect(signInErrorMessage("CredentialsSignin")).toBe("Wrong username or password.");
    expect(signInErrorMessage(undefined)).toBeUndefined();
    expect(signInErrorMessage(["CredentialsSignin", "x"])).toBeUndefined();
  });
});

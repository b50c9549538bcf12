// Languages, the account side: the choice saved on the account (Settings → Language), the device
// cookie that carries it, and the API sentences the auth pages translate (errors.api.*), which must
// stay word for word what the server says or the pages would silently fall back to English.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { signInErrorKey, signInReasonKey } from "@/app/(auth)/signin/sign-in-errors";
import { secondFactorSchema } from "@/lib/auth/two-factor.schema";
import { disconnectDb } from "@/lib/db/client";
import { apiTextKey } from "@/lib/i18n/api-text";
import { LOCALE_COOKIE, localeCookie } from "@/lib/i18n/locales";
import en from "@/lib/i18n/messages/en/errors.json";
import { INVALID_INVITE_MESSAGES } from "@/lib/invites/invites.schema";
import { RESET_LINK_MESSAGES, resetPasswordSchema } from "@/lib/users/password-reset.service";
import { getLocalePreference, setLocalePreference } from "@/lib/users/profile.service";
import { signUpSchema } from "@/lib/users/users.schema";
import { REGISTRATION_MESSAGES } from "@/lib/users/users.service";
import { makeUser } from "./helpers/fixtures";

afterAll(() => disconnectDb());

const ROOT = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sources(rel);
    return /\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

/** Every message `schema` gives for `inputs`. */
function messages(schema: ZodType, inputs: unknown[]): string[] {
  return inputs.flatMap((input) => {
    const r = schema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  });
}

describe("the language saved on the account", () => {
  it("is one of the languages or '' (the browser's); anything else is a validation error", async () => {
    const ana = await makeUser("lang");
    expect(await getLocalePreference(ana)).toBe("");
    expect(await setLocalePreference(ana, { locale: "ar" })).toBe("ar");
    expect(await getLocalePreference(ana)).toBe("ar");
    expect(await setLocalePreference(ana, { locale: "" })).toBe("");
    expect(await getLocalePreference(ana)).toBe("");
    for (const bad of [{ locale: "fr" }, { locale: "AR" }, { locale: 1 }, {}, { locale: "de", x: 1 }])
      await expect(setLocalePreference(ana, bad)).rejects.toMatchObject({ code: "validation" });
    expect(await getLocalePreference(ana)).toBe("");
  });

  it("is carried by a year-long, site-wide cookie; '' clears it", () => {
    expect(localeCookie("de")).toBe(`${LOCALE_COOKIE}=de; Path=/; Max-Age=31536000; SameSite=Lax`);
    expect(localeCookie("")).toBe(`${LOCALE_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`);
  });
});

describe("API sentences the auth pages translate", () => {
  it("are each still said by the server, word for word", () => {
    const code = [...sources("lib"), ...sources("app/api")]
      .map((f) => readFileSync(path.join(ROOT, f), "utf8"))
      .join("\n");
    const missing = Object.entries(en.api).filter(([, text]) => !code.includes(JSON.stringify(text)));
    expect(missing.map(([key]) => key)).toEqual([]);
  });

  it("cover what the sign-up, reset, invite and two-factor steps can show", () => {
    const shown = [
      ...Object.values(REGISTRATION_MESSAGES),
      ...Object.values(RESET_LINK_MESSAGES),
      ...Object.values(INVALID_INVITE_MESSAGES),
      "That username is taken",
      ...messages(signUpSchema, [
        {},
        { username: "a", displayName: "", password: "short" },
        { username: "x".repeat(40), displayName: "y".repeat(70), password: "p".repeat(200) },
        { username: "no way!", displayName: "a\u0007b", password: "aaaaaaaa" },
        { username: "fine", displayName: "Fine", password: "  ab    cd  " },
      ]),
      ...messages(resetPasswordSchema, [
        { token: "t".repeat(43), password: "correct horse", confirm: "other" },
      ]),
      ...messages(secondFactorSchema, [{}, { code: "12" }, { recoveryCode: "x" }]),
    ];
    expect(shown.length).toBeGreaterThan(15);
    expect(shown.filter((m) => !apiTextKey(m))).toEqual([]);
    // A validation message that names its field ("code: …", lib/errors.ts) is the same sentence.
    expect(apiTextKey("code: Enter the 6-digit code from your authenticator app")).toBe(
      "api.twoFactorCodeFormat",
    );
    expect(apiTextKey("Something nobody wrote")).toBeUndefined();
  });

  it("sign-in error codes name sentences of the catalog; unknown and inherited names are 'failed'", () => {
    const signIn = en.signIn as Record<string, string>;
    for (const code of [
      "Deactivated",
      "CredentialsSignin",
      "OAuthState",
      "RegistrationClosed",
      "Nope",
      "constructor",
    ]) {
      const key = signInErrorKey(code) as string;
      expect(signIn[key.replace(/^signIn\./, "")], code).toBeTruthy();
    }
    expect(signInErrorKey("constructor")).toBe("signIn.failed");
    expect(signInErrorKey("__proto__")).toBe("signIn.failed");
    expect(signInErrorKey(undefined)).toBeUndefined();
    expect(signInErrorKey(["Deactivated"])).toBeUndefined();
    expect(signInReasonKey("deactivated")).toBe("signIn.deactivated");
    expect(signInReasonKey("other")).toBeUndefined();
  });
});

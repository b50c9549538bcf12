import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { getUserByUsername, signUp, verifyCredentials } from "@/lib/users/users.service";
import { unique } from "./helpers/fixtures";

describe("accounts", () => {
  it("signs up with a case-insensitive unique username and an argon2id hash", async () => {
    const username = unique("Ana");
    const user = await signUp({
      username: username.toUpperCase(),
      displayName: "  Ana Lima ",
      password: "correct horse",
    });
    expect(user.username).toBe(username.toLowerCase());
    expect(user.displayName).toBe("Ana Lima");
    await expect(
      signUp({ username: username.toUpperCase(), displayName: "Other", password: "another password" }),
    ).rejects.toMatchObject({
      code: "conflict",
      extra: { fields: { username: ["That username is taken"] } },
    });
    const { db } = await import("@/lib/db/client");
    const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it.each([
    [{ username: "ab", displayName: "x", password: "long enough pw" }, "username", "at least 3"],
    [{ username: "a".repeat(33), displayName: "x", password: "long enough pw" }, "username", "at most 32"],
    [{ username: "bad name!", displayName: "x", password: "long enough pw" }, "username", "may only contain"],
    [{ username: "okname", displayName: "", password: "long enough pw" }, "displayName", "required"],
    [{ username: "okname", displayName: "x", password: "short" }, "password", "at least 8"],
    [{ username: "okname", displayName: "x", password: "aaaaaaaaaa" }, "password", "too weak"],
    [{ username: "okname", displayName: "x", password: "p".repeat(129) }, "password", "at most 128"],
    [{ username: "okname", displayName: "x\u0007", password: "long enough pw" }, "displayName", "control"],
  ])("rejects %j with a message on %s", async (input, field, text) => {
    const err = await signUp(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("validation");
    expect((err as AppError).extra.fields?.[field]?.join(" ")).toContain(text);
  });

  it("rejects unknown keys", async () => {
    await expect(
      signUp({ username: unique("x"), displayName: "x", password: "long enough pw", admin: true }),
    ).rejects.toMatchObject({ code: "validation" });
  });

  it("verifies credentials without telling unknown users from wrong passwords", async () => {
    const username = unique("bo");
    await signUp({ username, displayName: "Bo", password: "right password" });
    expect(
      await verifyCredentials({ username: username.toUpperCase(), password: "right password" }),
    ).toMatchObject({
      username,
    });
    expect(await verifyCredentials({ username, password: "wrong password" })).toBeNull();
    expect(await verifyCredentials({ username: unique("nobody"), password: "right password" })).toBeNull();
    expect(await verifyCredentials({ username: 42, password: null })).toBeNull();
    expect(await getUserByUsername(username)).toMatchObject({ username });
    expect(await getUserByUsername("!!")).toBeNull();
  });
});

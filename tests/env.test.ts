import { describe, expect, it } from "vitest";
import { clearBlankEnv, EnvError, envSchema, logLevel, parseEnv as parse } from "@/lib/env";

const parseEnv = (vars: Record<string, string>) => parse(vars as NodeJS.ProcessEnv);

describe("environment", () => {
  it("has defaults for a zero-config start", () => {
    const e = parseEnv({});
    expect(e).toMatchObject({ PORT: 3000, HOST: "0.0.0.0", DATA_DIR: "./data" });
    expect(e.DATABASE_URL).toBeUndefined();
  });

  it("names every invalid variable at once", () => {
    try {
      parseEnv({ PORT: "http", DATABASE_URL: "mysql://x", GITHUB_ID: "id", NEXTAUTH_SECRET: "short" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      const msg = (err as Error).message;
      for (const name of ["PORT", "DATABASE_URL", "GITHUB_SECRET", "NEXTAUTH_SECRET"])
        expect(msg).toContain(name);
    }
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", GITHUB_ID: "" }).DATABASE_URL).toBeUndefined();
  });

  it("treats an empty or blank value as unset for every variable (`NEXTAUTH_URL=` in a .env file)", () => {
    const names = Object.keys(envSchema.shape);
    expect(names).toContain("NEXTAUTH_URL");
    for (const blank of ["", "  ", "\t"]) {
      const vars = Object.fromEntries(names.map((n) => [n, blank]));
      expect(parseEnv(vars)).toEqual(parseEnv({}));
    }
    // One at a time too: each blank one gets its default.
    for (const name of names) expect(parseEnv({ [name]: "" }), name).toEqual(parseEnv({}));
  });

  it("removes blank variables from process.env itself, where next-auth reads NEXTAUTH_URL", () => {
    const target: Record<string, string | undefined> = {
      NEXTAUTH_URL: "",
      LOG_LEVEL: "   ",
      PORT: "4000",
      OIDC_NAME: " Corp SSO ",
    };
    clearBlankEnv(target);
    expect(target).toEqual({ PORT: "4000", OIDC_NAME: " Corp SSO " });
  });

  it("gives the logger a usable level before the environment is validated", () => {
    expect(logLevel({ LOG_LEVEL: "" })).toBe("info");
    expect(logLevel({ LOG_LEVEL: "", NODE_ENV: "test" })).toBe("warn");
    expect(logLevel({ LOG_LEVEL: "debug" })).toBe("debug");
    expect(logLevel({ LOG_LEVEL: "loud" })).toBe("info"); // ...and env() refuses it at boot:
    expect(() => parseEnv({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });

  it("validates the settings that used to bypass env.ts", () => {
    expect(parseEnv({})).toMatchObject({
      DATABASE_POOL_SIZE: 10,
      SESSION_MAX_AGE: 2_592_000,
      RATE_LIMIT_SCALE: 1,
    });
    expect(parseEnv({ DATABASE_POOL_SIZE: "25", SESSION_MAX_AGE: "3600" })).toMatchObject({
      DATABASE_POOL_SIZE: 25,
      SESSION_MAX_AGE: 3600,
    });
    for (const [name, bad] of [
      ["DATABASE_POOL_SIZE", "0"],
      ["DATABASE_POOL_SIZE", "ten"],
      ["SESSION_MAX_AGE", "-1"],
    ] as const) {
      expect(() => parseEnv({ [name]: bad })).toThrow(new RegExp(name));
    }
  });
});

describe("errors across module copies", () => {
  it("recognises an AppError thrown by another copy of the class (server.ts vs the Next bundle)", async () => {
    const { toAppError } = await import("@/lib/errors");
    const foreign = Object.assign(new Error("You're sending messages too fast — try again in 3 s"), {
      name: "AppError",
      code: "rate_limited",
      extra: { retryAfterMs: 3000 },
    });
    expect(toAppError(foreign).toJSON()).toEqual({
      code: "rate_limited",
      message: "You're sending messages too fast — try again in 3 s",
      retryAfterMs: 3000,
    });
    expect(toAppError(new Error("connect ECONNREFUSED 10.0.0.1:5432")).toJSON()).toEqual({
      code: "internal",
      message: "Something went wrong on our side. Please try again.",
    });
  });
});

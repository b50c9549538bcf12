import { describe, expect, it } from "vitest";
import { EnvError, parseEnv as parse } from "@/lib/env";

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

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

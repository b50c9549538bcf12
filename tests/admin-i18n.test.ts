// The admin console shows two kinds of server words in the reader's language: the reasons the role
// rules give for a refused action (lib/admin/rules.ts, lib/workspace/roles.ts) and the audit log's
// stored actions. Both lists live in code elsewhere; these tests fail when one grows past the catalog.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REFUSAL_KEYS } from "@/app/(chat)/admin/users/refusals";
import { deactivationRefusal, resetRefusal, roleOptions } from "@/lib/admin/rules";
import { TWO_FACTOR_POLICY_LABELS } from "@/lib/auth/two-factor.schema";
import en from "@/lib/i18n/messages/en/admin.json";
import { INVITE_EXPIRY_LABELS, INVITE_STATUS_LABELS } from "@/lib/invites/invites.schema";
import { ROLE_LABELS, ROLES } from "@/lib/workspace/roles";
import { REGISTRATION_LABELS } from "@/lib/workspace/workspace.schema";

const ROOT = path.resolve(__dirname, "..");

function lookup(obj: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

describe("labels of stored values", () => {
  it("say in English what the schemas' labels say (the console shows the catalog's)", () => {
    expect(en.roles).toEqual(ROLE_LABELS);
    expect(en.settings.registrationPolicies).toEqual(REGISTRATION_LABELS);
    expect(en.twoFactor.policies).toEqual(TWO_FACTOR_POLICY_LABELS);
    expect(en.invites.expiry).toEqual(INVITE_EXPIRY_LABELS);
    expect(en.invites.status).toEqual(INVITE_STATUS_LABELS);
  });
});

describe("refusal reasons in the users table", () => {
  it("every reason the rules can give has a message, and its English is the rule's own words", () => {
    const reasons = new Set<string>();
    for (const actorRole of ROLES)
      for (const targetRole of ROLES)
        for (const same of [true, false]) {
          const actor = { id: "a", role: actorRole };
          const target = { id: same ? "a" : "b", role: same ? actorRole : targetRole };
          for (const why of [
            deactivationRefusal(actor, target),
            resetRefusal(actor, target),
            ...roleOptions(actor, target).map((o) => o.refusal),
          ])
            if (why !== null) reasons.add(why);
        }
    expect(reasons.size).toBeGreaterThan(5);
    for (const why of reasons) {
      const key = REFUSAL_KEYS[why];
      expect(key, `no key for “${why}” in app/(chat)/admin/users/refusals.ts`).toBeDefined();
      expect(lookup(en, `users.refusals.${key}`)).toBe(why);
    }
    // And nothing listed that the rules no longer say.
    expect(Object.keys(REFUSAL_KEYS).sort()).toEqual([...reasons].sort());
  });
});

describe("audit log actions", () => {
  it("every action the services record has a label (admin.audit.actions)", () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const full = path.join(dir, name);
        if (name === "generated") return [];
        return statSync(full).isDirectory() ? walk(full) : full.endsWith(".ts") ? [full] : [];
      });
    const actions = new Set<string>();
    for (const file of walk(path.join(ROOT, "lib")))
      for (const line of readFileSync(file, "utf8").split("\n"))
        if (/\baction: /.test(line))
          for (const m of line.matchAll(/"([a-z]+(?:\.[a-z_]+)+)"/g)) actions.add(m[1] as string);
    expect(actions.size).toBeGreaterThan(20);
    const camel = (a: string) => a.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const missing = [...actions].filter((a) => typeof lookup(en, `audit.actions.${camel(a)}`) !== "string");
    expect(missing).toEqual([]);
  });
});

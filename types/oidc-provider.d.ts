// oidc-provider ships no types; only the test provider (scripts/oidc-test-provider.ts) uses it.
declare module "oidc-provider";

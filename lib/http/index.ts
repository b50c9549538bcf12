// `@/lib/http`: the helpers route handlers use (route.ts). The request pipeline that runs before
// Next (pipeline.ts) is server.ts's alone and is imported from its own path, so route bundles do
// not carry it.
export * from "./route";

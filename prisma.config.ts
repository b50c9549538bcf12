// Prisma CLI config: JS engine + pg adapter so no Rust binary is ever downloaded (docs/architecture.md).
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// The CLI must always see a DATABASE_URL or it falls back to downloading a schema engine.
const connectionString = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
process.env.DATABASE_URL = connectionString;

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaPg({ connectionString }),
});

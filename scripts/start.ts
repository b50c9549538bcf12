// `npm start`: build the Next app when there is no current build, then run the production server.
import { buildIsCurrent, ensureBuild } from "./build-state";

if (!buildIsCurrent()) console.info("Building Beacon (first start, or the sources changed)…");
ensureBuild();
Object.assign(process.env, { NODE_ENV: "production" });
// server.ts starts itself on import (CommonJS under tsx: no top-level await here).
import("../server").catch((err) => {
  console.error(err);
  process.exit(1);
});

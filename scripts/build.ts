// `npm run build`: always rebuild (prisma generate + next build) and record the source hash.
import { ensureBuild } from "./build-state";

ensureBuild({ force: true });

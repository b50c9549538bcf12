// /api itself and any /api path no route matches: a JSON 404 for every method (Next would render the HTML not-found
// page, or answer an empty 405), so API clients always get {error:{code,message}}.
import { apiNotFound } from "@/lib/http";

export const dynamic = "force-dynamic";

export {
  apiNotFound as GET,
  apiNotFound as HEAD,
  apiNotFound as POST,
  apiNotFound as PUT,
  apiNotFound as PATCH,
  apiNotFound as DELETE,
  apiNotFound as OPTIONS,
};

// PUT /api/account/locale {locale}: the interface language, saved on the account so every device
// follows it ("" = the browser's language), and set as this device's cookie (lib/i18n/locales.ts).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { localeCookie } from "@/lib/i18n/locales";
import { setLocalePreference } from "@/lib/users/profile.service";

export function PUT(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("PUT /api/account/locale");
    const locale = await setLocalePreference(user, await readJson(req));
    const res = json({ locale });
    res.headers.append("set-cookie", localeCookie(locale));
    return res;
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, POST, PATCH, DELETE, OPTIONS } = otherMethods("PUT");

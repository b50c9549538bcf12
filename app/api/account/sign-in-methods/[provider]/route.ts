// DELETE /api/account/sign-in-methods/:provider: unlink that provider from my account (never the
// last way to sign in).
import { configuredProviders, providerName } from "@/lib/auth/oauth-sign-in";
import { passwordSignInEnabled } from "@/lib/auth/oidc";
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { unlinkIdentity } from "@/lib/users/identities.service";

type Ctx = { params: Promise<{ provider: string }> };

export function DELETE(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/account/sign-in-methods/:provider");
    const { provider } = await ctx.params;
    await unlinkIdentity(
      user,
      { provider },
      {
        passwordSignIn: passwordSignInEnabled(),
        configuredProviders: configuredProviders().map((p) => p.id),
        providerName: providerName(provider),
      },
    );
    return json({ ok: true });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");

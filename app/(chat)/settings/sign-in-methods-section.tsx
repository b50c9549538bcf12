// Settings → Sign-in methods: the password and each configured provider, linked or not.
import { configuredProviders } from "@/lib/auth/oauth-sign-in";
import { passwordSignInEnabled } from "@/lib/auth/oidc";
import { listSignInMethods } from "@/lib/users/identities.service";
import { SignInMethods } from "./sign-in-methods";

export async function SignInMethodsSection({ userId }: { userId: string }) {
  const methods = await listSignInMethods(userId);
  const linked = new Set(methods.linked.map((l) => l.provider));
  return (
    <SignInMethods
      password={methods.password}
      passwordSignIn={passwordSignInEnabled()}
      providers={configuredProviders().map((p) => ({ ...p, linked: linked.has(p.id) }))}
    />
  );
}

import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken } from "@/lib/auth/jwt";

// The session-token decoder keeps next-auth's derived key instead of re-deriving it per call; it
// must read exactly what next-auth writes and refuse everything next-auth refuses.
describe("session token decoding", () => {
  const secret = "a test secret that is long enough";
  const claims = { uid: "6d1f7c1e-4a55-4c3f-9d2b-5f1c2b7e9a10", sv: 3, name: "Ada" };

  it("reads tokens next-auth encoded, for every salt, as next-auth does", async () => {
    for (const salt of ["", "next-auth.session-token", "__Secure-next-auth.session-token"]) {
      const token = await encode({ token: claims, secret, salt });
      const ours = await decodeSessionToken({ token, secret, salt });
      expect(ours).toMatchObject(claims);
      expect(ours).toEqual(await decode({ token, secret, salt }));
    }
    expect(await decodeSessionToken({ token: undefined, secret })).toBeNull();
  });

  it("refuses a token under another secret or salt, a tampered one and an expired one", async () => {
    const token = await encode({ token: claims, secret });
    await expect(decodeSessionToken({ token, secret: `${secret}!` })).rejects.toThrow();
    await expect(decodeSessionToken({ token, secret, salt: "other" })).rejects.toThrow();
    const parts = token.split(".");
    const body = parts[3] as string;
    parts[3] = (body[0] === "A" ? "B" : "A") + body.slice(1);
    await expect(decodeSessionToken({ token: parts.join("."), secret })).rejects.toThrow();
    const expired = await encode({ token: claims, secret, maxAge: -60 });
    await expect(decodeSessionToken({ token: expired, secret })).rejects.toThrow(/exp/);
    await expect(decode({ token: expired, secret })).rejects.toThrow(/exp/);
  });

  it("keeps working after the secret rotates (a key per secret)", async () => {
    const next = "the rotated secret, also long enough";
    const a = await encode({ token: claims, secret });
    const b = await encode({ token: claims, secret: next });
    expect(await decodeSessionToken({ token: b, secret: next })).toMatchObject(claims);
    expect(await decodeSessionToken({ token: a, secret })).toMatchObject(claims);
  });
});

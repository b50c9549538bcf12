// POST /api/users: sign up (then the client signs in through next-auth).
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { clientIp } from "@/lib/origin";
import { limits } from "@/lib/ratelimit/limits";
import { signUp } from "@/lib/users/users.service";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    await limits().consume("signup", clientIp(req.headers));
    const { roomIds, ...user } = await signUp(await readJson(req));
    // roomIds: the rooms the account was put in (an invite's first): the form lands in the first.
    return json({ user, roomIds }, 201);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");

// External services for tests: required in CI (fail loudly), optional elsewhere (skip with a reason).
import { connectRedis, RedisState } from "@/lib/state/shared-state";

export function externalRedisUrl(): string | undefined {
  const url = process.env.TEST_REDIS_URL;
  if (!url && process.env.CI)
    throw new Error("TEST_REDIS_URL must be set in CI: the multi-node tests need Redis");
  if (!url) console.info("skipping Redis-backed tests: TEST_REDIS_URL is not set (CI sets it)");
  return url;
}

export async function redisState(url: string, prefix: string): Promise<RedisState> {
  return new RedisState(await connectRedis(url), prefix);
}

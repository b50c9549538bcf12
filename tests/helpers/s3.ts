// A real S3-compatible server (s3rver) on a loopback port with a "beacon" bucket, for the S3 driver's
// contract tests, the cluster spec and the bench.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import S3rver from "@20minutes/s3rver";

export async function startS3rver(): Promise<{ endpoint: string; dir: string; close: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "beacon-s3-"));
  const server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory: dir,
    configureBuckets: [{ name: "beacon", configs: [] }],
  });
  const { port } = (await server.run()) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    dir,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import { withUploadedFile } from "@/lib/http/multipart";
import { DiskStorage } from "@/lib/files/storage/disk";
import { Transform } from "node:stream";
async function main() {
  const fd = new FormData();
  fd.append("roomId", "x");
  fd.append("file", new File([new Uint8Array(5000).fill(65)], "a.txt"));
  const req = new Request("http://x/api/files", { method: "POST", body: fd });
  const store = new DiskStorage("/tmp/fui-mp");
  const r = await withUploadedFile(req, "file", async ({ stream }) => {
    const tap = new Transform({ transform(c, _e, d) { d(null, c); } });
    stream.pipe(tap);
    console.log("putting");
    const res = await store.put("files/0b7e4c1e-8f0a-4d2b-9a51-2a3c4d5e6f70", tap, { maxBytes: 1e6 });
    console.log("put done", res);
    return res;
  });
  console.log("done", r);
}
main();

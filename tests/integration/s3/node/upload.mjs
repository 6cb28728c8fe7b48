// SPDX-License-Identifier: GPL-2.0
// Multipart through @aws-sdk/lib-storage's Upload with the SDK's default
// checksums (issue 6; not part of make check: run.sh --large).
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { Upload } from "@aws-sdk/lib-storage";
import {
  CreateBucketCommand, GetObjectCommand, HeadObjectCommand, DeleteObjectCommand, DeleteBucketCommand,
} from "@aws-sdk/client-s3";
import { client, test, assert, summary, uniqueName } from "./common.mjs";

const s3 = client();
const Bucket = uniqueName("nodeup");
const size = 12 * 1024 * 1024 + 12345;
const data = Buffer.alloc(size);
for (let i = 0; i + 4 <= size; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
const sha = (b) => createHash("sha256").update(b).digest("hex");

await test("node-upload: CreateBucket", async () => {
  await s3.send(new CreateBucketCommand({ Bucket }));
});

for (const [name, body] of [["buffer", () => data], ["stream", () => Readable.from([data.subarray(0, 7e6), data.subarray(7e6)])]]) {
  await test(`node-upload: Upload multipart (${name} body, 5 MiB parts)`, async () => {
    const up = new Upload({ client: s3, params: { Bucket, Key: `big-${name}`, Body: body() }, partSize: 5 * 1024 * 1024, queueSize: 2 });
    const r = await up.done();
    assert(/-3"$/.test(r.ETag), `ETag ${r.ETag} is not a 3-part multipart ETag`);
  });
  await test(`node-upload: GetObject big-${name} matches (sha256)`, async () => {
    const g = await s3.send(new GetObjectCommand({ Bucket, Key: `big-${name}` }));
    const got = Buffer.from(await g.Body.transformToByteArray());
    assert(got.length === size && sha(got) === sha(data), `size ${got.length}`);
  });
}

await test("node-upload: Upload of a small body is a single PutObject", async () => {
  const up = new Upload({ client: s3, params: { Bucket, Key: "small", Body: Buffer.from("small") } });
  const r = await up.done();
  assert(!/-\d+"$/.test(r.ETag), `ETag ${r.ETag}`);
  const h = await s3.send(new HeadObjectCommand({ Bucket, Key: "small" }));
  assert(h.ContentLength === 5);
});

await test("node-upload: clean up", async () => {
  for (const Key of ["big-buffer", "big-stream", "small"]) await s3.send(new DeleteObjectCommand({ Bucket, Key }));
  await s3.send(new DeleteBucketCommand({ Bucket }));
});

summary();

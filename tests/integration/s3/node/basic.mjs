// SPDX-License-Identifier: GPL-2.0
// @aws-sdk/client-s3 with its defaults (CRC32 request checksums "when
// supported"; a stream body goes out as aws-chunked with a trailing
// checksum, STREAMING-UNSIGNED-PAYLOAD-TRAILER): PutObject, GetObject,
// HeadObject, ListObjectsV2, DeleteObject, and other checksum algorithms.
import { Readable } from "node:stream";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import {
  CreateBucketCommand, DeleteBucketCommand, PutObjectCommand, GetObjectCommand,
  HeadObjectCommand, ListObjectsV2Command, DeleteObjectCommand,
} from "@aws-sdk/client-s3";
import { client, lastSent, test, assert, summary, uniqueName } from "./common.mjs";

const s3 = client();
const Bucket = uniqueName("node");
const data = Buffer.alloc(6000);
for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
const md5 = (b) => createHash("md5").update(b).digest("hex");
let version = "?";
try {
  version = createRequire(import.meta.url)("@aws-sdk/client-s3/package.json").version;
} catch {}
console.log(`# @aws-sdk/client-s3 ${version}, node ${process.version}`);

async function bodyOf(r) {
  return Buffer.from(await r.Body.transformToByteArray());
}

await test("node: CreateBucket", async () => {
  await s3.send(new CreateBucketCommand({ Bucket }));
});

await test("node: PutObject (Buffer body, default CRC32 header)", async () => {
  const r = await s3.send(new PutObjectCommand({ Bucket, Key: "buf.bin", Body: data }));
  assert(r.ETag === `"${md5(data)}"`, `ETag ${r.ETag}`);
  const h = lastSent("PutObjectCommand");
  console.log(`# Buffer PutObject sent: x-amz-checksum-crc32=${h["x-amz-checksum-crc32"]} x-amz-content-sha256=${h["x-amz-content-sha256"]} content-encoding=${h["content-encoding"]}`);
  assert(r.ChecksumCRC32, "no x-amz-checksum-crc32 in the response");
});

await test("node: PutObject (stream body: aws-chunked, CRC32 trailer)", async () => {
  const r = await s3.send(new PutObjectCommand({
    Bucket, Key: "stream.bin", Body: Readable.from([data.subarray(0, 2500), data.subarray(2500)]),
    ContentLength: data.length,
  }));
  const h = lastSent("PutObjectCommand");
  console.log(`# stream PutObject sent: x-amz-content-sha256=${h["x-amz-content-sha256"]} content-encoding=${h["content-encoding"]} x-amz-trailer=${h["x-amz-trailer"]} x-amz-decoded-content-length=${h["x-amz-decoded-content-length"]}`);
  assert(r.ETag === `"${md5(data)}"`, `ETag ${r.ETag}`);
  assert(r.ChecksumCRC32, "no CRC32 in the response");
});

await test("node: the stream PutObject really used aws-chunked with a trailer", async () => {
  const h = lastSent("PutObjectCommand");
  assert(h["x-amz-content-sha256"] === "STREAMING-UNSIGNED-PAYLOAD-TRAILER", h["x-amz-content-sha256"]);
  assert(h["x-amz-trailer"] === "x-amz-checksum-crc32", h["x-amz-trailer"]);
});

for (const key of ["buf.bin", "stream.bin"]) {
  await test(`node: GetObject ${key} returns the data`, async () => {
    const r = await s3.send(new GetObjectCommand({ Bucket, Key: key }));
    assert(Buffer.compare(await bodyOf(r), data) === 0, "data differs");
    assert(!String(r.ContentEncoding || "").includes("aws-chunked"), `Content-Encoding ${r.ContentEncoding}`);
  });
  await test(`node: GetObject ${key} with ChecksumMode ENABLED (SDK validates CRC32)`, async () => {
    const r = await s3.send(new GetObjectCommand({ Bucket, Key: key, ChecksumMode: "ENABLED" }));
    assert(r.ChecksumCRC32, "no ChecksumCRC32");
    assert(Buffer.compare(await bodyOf(r), data) === 0, "data differs");
  });
}

for (const alg of ["CRC32C", "SHA1", "SHA256", "CRC64NVME"]) {
  for (const form of ["buffer", "stream"]) {
    await test(`node: PutObject ChecksumAlgorithm ${alg} (${form}) and GetObject validates it`, async () => {
      const Body = form === "buffer" ? data : Readable.from([data]);
      const r = await s3.send(new PutObjectCommand({
        Bucket, Key: `alg-${alg}-${form}`, Body, ContentLength: data.length, ChecksumAlgorithm: alg,
      }));
      assert(r[`Checksum${alg}`], `no Checksum${alg} in the PutObject response`);
      const g = await s3.send(new GetObjectCommand({ Bucket, Key: `alg-${alg}-${form}`, ChecksumMode: "ENABLED" }));
      assert(g[`Checksum${alg}`] === r[`Checksum${alg}`], `${g[`Checksum${alg}`]} != ${r[`Checksum${alg}`]}`);
      assert(Buffer.compare(await bodyOf(g), data) === 0, "data differs");
    });
  }
}

await test("node: HeadObject", async () => {
  const r = await s3.send(new HeadObjectCommand({ Bucket, Key: "buf.bin" }));
  assert(r.ContentLength === data.length, `ContentLength ${r.ContentLength}`);
  assert(r.ETag === `"${md5(data)}"`, `ETag ${r.ETag}`);
});

await test("node: ListObjectsV2 with a prefix and a delimiter", async () => {
  await s3.send(new PutObjectCommand({ Bucket, Key: "dir/a b+c", Body: "x" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "dir/sub/é", Body: "y" }));
  const r = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: "dir/", Delimiter: "/" }));
  const keys = (r.Contents || []).map((o) => o.Key);
  const prefixes = (r.CommonPrefixes || []).map((p) => p.Prefix);
  assert(JSON.stringify(keys) === JSON.stringify(["dir/a b+c"]), `keys ${JSON.stringify(keys)}`);
  assert(JSON.stringify(prefixes) === JSON.stringify(["dir/sub/"]), `prefixes ${JSON.stringify(prefixes)}`);
  assert(r.KeyCount === 2, `KeyCount ${r.KeyCount}`);
});

await test("node: ListObjectsV2 pages with MaxKeys", async () => {
  const all = [];
  let ContinuationToken;
  for (let i = 0; i < 20; i++) {
    const r = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 2, ContinuationToken }));
    all.push(...(r.Contents || []).map((o) => o.Key));
    if (!r.IsTruncated) break;
    ContinuationToken = r.NextContinuationToken;
  }
  const full = ((await s3.send(new ListObjectsV2Command({ Bucket }))).Contents || []).map((o) => o.Key);
  const sorted = [...full].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  assert(full.length >= 4, `only ${full.length} keys`);
  assert(JSON.stringify(all) === JSON.stringify(sorted), `${JSON.stringify(all)} vs ${JSON.stringify(sorted)}`);
});

await test("node: DeleteObject, then GetObject is NoSuchKey", async () => {
  const d = await s3.send(new DeleteObjectCommand({ Bucket, Key: "buf.bin" }));
  assert(d.$metadata.httpStatusCode === 204, `status ${d.$metadata.httpStatusCode}`);
  try {
    await s3.send(new GetObjectCommand({ Bucket, Key: "buf.bin" }));
    throw new Error("GetObject succeeded after DeleteObject");
  } catch (e) {
    assert(e.name === "NoSuchKey", `${e.name}`);
  }
});

await test("node: DeleteObject of a missing key is 204", async () => {
  const d = await s3.send(new DeleteObjectCommand({ Bucket, Key: "never" }));
  assert(d.$metadata.httpStatusCode === 204, `status ${d.$metadata.httpStatusCode}`);
});

await test("node: wrong secret is SignatureDoesNotMatch", async () => {
  const bad = client({ credentials: { accessKeyId: process.env.KS3_S3_ACCESS_KEY, secretAccessKey: "x".repeat(40) } });
  try {
    await bad.send(new HeadObjectCommand({ Bucket, Key: "stream.bin" }));
    throw new Error("request with a wrong secret succeeded");
  } catch (e) {
    assert(e.$metadata?.httpStatusCode === 403, `status ${e.$metadata?.httpStatusCode} ${e.name}`);
  }
  try {
    await bad.send(new GetObjectCommand({ Bucket, Key: "stream.bin" }));
    throw new Error("request with a wrong secret succeeded");
  } catch (e) {
    assert(e.name === "SignatureDoesNotMatch", e.name);
  }
});

await test("node: empty the bucket and DeleteBucket", async () => {
  const r = await s3.send(new ListObjectsV2Command({ Bucket }));
  for (const o of r.Contents || []) await s3.send(new DeleteObjectCommand({ Bucket, Key: o.Key }));
  await s3.send(new DeleteBucketCommand({ Bucket }));
});

summary();

// SPDX-License-Identifier: GPL-2.0
// Shared by the node scenarios: a client with the SDK's defaults (only the
// endpoint, path style and credentials set), a recorder of the headers each
// request went out with, and ok/not ok result lines.
import { S3Client } from "@aws-sdk/client-s3";

const env = process.env;
if (!env.KS3_S3_ENDPOINT) {
  console.error("KS3_S3_ENDPOINT not set (run tests/integration/s3/run.sh)");
  process.exit(2);
}

export const sent = [];

export function client(extra = {}) {
  const c = new S3Client({
    endpoint: env.KS3_S3_ENDPOINT,
    region: env.KS3_S3_REGION || "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: env.KS3_S3_ACCESS_KEY, secretAccessKey: env.KS3_S3_SECRET_KEY },
    maxAttempts: 1,
    ...extra,
  });
  c.middlewareStack.add(
    (next, ctx) => async (args) => {
      sent.push({ op: ctx.commandName, headers: { ...args.request.headers } });
      return next(args);
    },
    { step: "finalizeRequest", priority: "low", name: "ks3Recorder" },
  );
  return c;
}

export function lastSent(op) {
  for (let i = sent.length - 1; i >= 0; i--) if (sent[i].op === op) return sent[i].headers;
  return {};
}

let passed = 0;
let failed = 0;

export async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    const code = e?.$metadata?.httpStatusCode ? ` HTTP ${e.$metadata.httpStatusCode}` : "";
    console.log(`not ok - ${name} (${e?.name || "Error"}${code}: ${String(e?.message || e).split("\n")[0].slice(0, 300)})`);
  }
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg || "assertion failed");
}

export function summary() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

export function uniqueName(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;
}

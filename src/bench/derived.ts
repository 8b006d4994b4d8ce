// `dan-node bench --suite derived`: keys derived from a master key, on a devnet of processes with a
// master key (docs/derived-keys.md). Measures: derived keyGen over JSON-RPC (requests signed
// beforehand, sent over a kept-alive connection: the figure is the network's, every node's fsynced
// record included) next to isolated keyGen (a DKG); the first signatures right after a keyGen (the
// shared pool is warm) next to warm signing on an established key; then `keys` derived keys made
// at a fixed concurrency: the time, disk and RSS per node before and after, and warm signing with a
// random key among them.
import { randomInt } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { keccak256, recoverAddress, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { authorizeRequest, contentDigest, keyGenMessage } from '../auth/index.ts';
import type { Devnet } from '../cli/devnet.ts';
import { createDanClient } from '../client/index.ts';
import { deriveKeyId } from '../requests/index.ts';
import type { KeyGenResult, SignParams, SignResult } from '../rpc/index.ts';
import { WARM_UP, withDevnet } from './cluster.ts';
import { rpc, rssMb } from './rpc.ts';
import { percentile, round2 } from './stats.ts';

export interface DerivedBenchOptions {
  t: number;
  n: number;
  /** Sequential derived keyGens measured. */
  keyGens: number;
  /** Isolated keyGens (DKG) measured, for comparison. */
  isolatedKeyGens: number;
  /** Warm signatures measured (single key, and random keys among the many). */
  signs: number;
  /** Signatures measured right after a keyGen. */
  afterKeyGen: number;
  /** Derived keys made for the scale run. */
  keys: number;
  /** Concurrent keyGens of the scale run. */
  concurrency: number;
  rpcPort: number;
  p2pPort: number;
  progress(line: string): void;
}

interface Timing {
  reps: number;
  p50_ms: number;
  p99_ms: number;
}

export interface DerivedBenchResult {
  t: number;
  n: number;
  keygen_derived: Timing;
  keygen_isolated: Timing;
  sign_after_keygen: Timing & { verified: boolean };
  sign_warm_one_key: Timing & { verified: boolean };
  scale: {
    keys: number;
    concurrency: number;
    seconds: number;
    keys_per_s: number;
    failed: number;
    disk_bytes_per_key_per_node: number[];
    rss_mb_before: number[];
    rss_mb_after: number[];
  };
  sign_warm_random_key: Timing & { verified: boolean };
}

const timing = (ms: number[]): Timing => ({ reps: ms.length, p50_ms: round2(percentile(ms, 50)), p99_ms: round2(percentile(ms, 99)) });

function dirBytes(path: string): number {
  let total = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) total += e.isDirectory() ? dirBytes(join(path, e.name)) : statSync(join(path, e.name)).size;
  return total;
}

export async function benchDerived(o: DerivedBenchOptions): Promise<DerivedBenchResult> {
  const depth = o.signs + WARM_UP + o.afterKeyGen + 16;
  // Low water 0: the pool refills while the network is idle, not during a measured run.
  const env = { DAN_NODE_POOL_DEPTH: String(depth), DAN_NODE_POOL_SETS: '1', DAN_NODE_POOL_LOW_WATER: '0' };
  return withDevnet(o, o.t, o.n, env, (devnet) => run(o, devnet, depth), true);
}

async function run(o: DerivedBenchOptions, devnet: Devnet, depth: number): Promise<DerivedBenchResult> {
  const { t, n } = o;
  const tag = `${t}-of-${n}`;
  const owner = privateKeyToAccount(generatePrivateKey());
  const client = createDanClient({ url: devnet.rpcUrl, account: owner, timeoutMs: 120_000 });
  const network = await client.network();
  const signedKeyGen = async (requestId: string, isolated = false) => {
    const p = { threshold: t, owner: owner.address, requestId, ...(isolated ? { isolated } : {}) };
    return { ...p, auth: await authorizeRequest(owner, 'dan_keyGen', p, { network, expirySec: 3000 }) };
  };
  const signedSign = async (keyId: string, i: string): Promise<SignParams> => {
    const unsigned = { keyId, digest: keccak256(toHex(`derived bench ${i}`)), requestId: `sign-${i}` };
    return { ...unsigned, auth: await authorizeRequest(owner, 'dan_sign', unsigned, { network, expirySec: 3000 }) };
  };
  /** Sign every request in turn over one kept-alive connection; the first `warmUp` are not counted. */
  const signRun = async (requests: SignParams[], address: (keyId: string) => Hex, warmUp: number) => {
    const ms: number[] = [];
    let verified = true;
    for (const [i, r] of requests.entries()) {
      const t0 = performance.now();
      const sig = await rpc<SignResult>(devnet.rpcUrl, 'dan_sign', r);
      if (i >= warmUp) ms.push(performance.now() - t0);
      verified &&= (await recoverAddress({ hash: r.digest, signature: sig.signature })) === address(r.keyId);
    }
    return { ...timing(ms), verified };
  };
  const waitPool = async (keyId: string, want: number) => {
    for (;;) {
      const { pools } = await client.presignStatus(keyId);
      const available = pools.reduce((a, p) => a + p.available, 0);
      o.progress(`${tag}: master presignature pool ${available}/${want}`);
      if (available >= want) return;
      await new Promise((r) => setTimeout(r, 2000));
    }
  };

  const first = await client.keyGen({ threshold: t });
  await waitPool(first.keyId, depth - 8);

  // Derived keyGen, sequential, requests signed beforehand.
  const keyGenRequests = await Promise.all(Array.from({ length: o.keyGens + 10 }, (_, i) => signedKeyGen(`derived-${i}`)));
  const keyGenMs: number[] = [];
  for (const [i, p] of keyGenRequests.entries()) {
    const t0 = performance.now();
    const k = await rpc<KeyGenResult>(devnet.rpcUrl, 'dan_keyGen', p);
    if (i >= 10) keyGenMs.push(performance.now() - t0);
    if (!k.derivedFrom) throw new Error('keyGen did not derive (no master key?)');
  }
  o.progress(`${tag}: derived keyGen p50 ${percentile(keyGenMs, 50).toFixed(2)} ms`);
  const isolatedMs: number[] = [];
  for (let i = 0; i < o.isolatedKeyGens; i++) {
    const p = await signedKeyGen(`isolated-${i}`, true);
    const t0 = performance.now();
    await rpc<KeyGenResult>(devnet.rpcUrl, 'dan_keyGen', p);
    isolatedMs.push(performance.now() - t0);
  }
  o.progress(`${tag}: isolated keyGen p50 ${percentile(isolatedMs, 50).toFixed(0)} ms`);

  // Warm signing on one established key, then the first signatures of a key made just now.
  await waitPool(first.keyId, depth - 8);
  const oneKey = await Promise.all(Array.from({ length: o.signs + WARM_UP }, (_, i) => signedSign(first.keyId, `one-${i}`)));
  const signWarm = await signRun(oneKey, () => first.address, WARM_UP);
  o.progress(`${tag}: warm signing, one key: p50 ${signWarm.p50_ms} ms`);
  await waitPool(first.keyId, o.afterKeyGen + 8);
  const fresh = await signedKeyGen('fresh');
  const freshId = deriveKeyId(network, contentDigest(network, 'KeyGen', keyGenMessage(fresh)));
  const afterRequests = await Promise.all(Array.from({ length: o.afterKeyGen }, (_, i) => signedSign(freshId, `after-${i}`)));
  const freshKey = await rpc<KeyGenResult>(devnet.rpcUrl, 'dan_keyGen', fresh);
  if (freshKey.keyId !== freshId) throw new Error('unexpected key id');
  const afterKeyGen = await signRun(afterRequests, () => freshKey.address, 0);
  o.progress(`${tag}: first ${o.afterKeyGen} signatures after a keyGen: p50 ${afterKeyGen.p50_ms} ms`);

  // Scale: many derived keys.
  const dataDirs = devnet.nodes.map((x) => join(x.home, 'data'));
  const diskBefore = dataDirs.map(dirBytes);
  const rssBefore = devnet.nodes.map((x) => rssMb(x.pid));
  const made = new Map<string, Hex>();
  let next = 0;
  let failed = 0;
  const via = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const started = performance.now();
  let reported = started;
  const worker = async () => {
    while (next < o.keys) {
      const i = next++;
      try {
        const k = await rpc<KeyGenResult>(devnet.rpcUrl, 'dan_keyGen', await signedKeyGen(`scale-${i}`), via);
        made.set(k.keyId, k.address);
      } catch {
        failed++;
      }
      if (performance.now() - reported > 10_000) {
        reported = performance.now();
        o.progress(`${tag}: ${made.size}/${o.keys} derived keys (${(made.size / ((reported - started) / 1000)).toFixed(0)}/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  o.progress(`${tag}: ${made.size} derived keys in ${seconds.toFixed(0)} s, ${failed} failed`);
  await new Promise((r) => setTimeout(r, 5000)); // let compactions settle
  const diskAfter = dataDirs.map(dirBytes);
  const rssAfter = devnet.nodes.map((x) => rssMb(x.pid));

  // Warm signing with a random key among them.
  await waitPool(first.keyId, depth - 8);
  const ids = [...made.keys()];
  const randomKey = () => ids[randomInt(ids.length)];
  const randomRequests = await Promise.all(Array.from({ length: o.signs + WARM_UP }, (_, i) => signedSign(randomKey(), `random-${i}`)));
  const signRandom = await signRun(randomRequests, (keyId) => made.get(keyId)!, WARM_UP);
  o.progress(`${tag}: warm signing, random key among ${ids.length}: p50 ${signRandom.p50_ms} ms`);

  return {
    t,
    n,
    keygen_derived: timing(keyGenMs),
    keygen_isolated: timing(isolatedMs),
    sign_after_keygen: afterKeyGen,
    sign_warm_one_key: signWarm,
    scale: {
      keys: made.size,
      concurrency: o.concurrency,
      seconds: round2(seconds),
      keys_per_s: round2(made.size / seconds),
      failed,
      disk_bytes_per_key_per_node: diskAfter.map((b, i) => Math.round((b - diskBefore[i]) / Math.max(1, made.size))),
      rss_mb_before: rssBefore,
      rss_mb_after: rssAfter,
    },
    sign_warm_random_key: signRandom,
  };
}


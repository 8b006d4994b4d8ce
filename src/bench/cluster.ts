// `dan-node bench --suite cluster`: the network as processes. For 2-of-3 and 3-of-5 devnets:
// keyGen latency; refresh latency (dan_refreshKey, both phases); online signing over JSON-RPC with a warm presignature pool (requests are signed
// beforehand and sent over a kept-alive connection, so the figure is the coordinator round trip);
// sustained signatures per second at a fixed concurrency with the pool refilling (through the
// client library, which signs each request); resident memory of each node process.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keccak256, recoverAddress, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { authorizeRequest } from '../auth/index.ts';
import { startDevnet, type Devnet } from '../cli/devnet.ts';
import { createDanClient } from '../client/index.ts';
import type { SignParams, SignResult } from '../rpc/index.ts';
import { percentile, round2 } from './stats.ts';

export interface ClusterBenchOptions {
  configs: [number, number][];
  keyGens: number;
  refreshes: number;
  signs: number;
  sustainedSec: number;
  concurrency: number;
  rpcPort: number;
  p2pPort: number;
  progress(line: string): void;
}

export interface ClusterBenchResult {
  t: number;
  n: number;
  keygen: { reps: number; p50_ms: number; p99_ms: number };
  refresh: { reps: number; p50_ms: number; p99_ms: number };
  sign_warm: { reps: number; p50_ms: number; p99_ms: number; verified: boolean };
  sustained: { seconds: number; concurrency: number; signatures: number; failed: number; signatures_per_s: number; verified: boolean };
  rss_mb_per_node: number[];
}

/** Signatures before the measured ones (JIT warm-up of the signing path), not counted. */
const WARM_UP = 50;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/**
 * One dan_sign over a kept-alive HTTP connection (node:http): the figure is the coordinator's
 * round trip, not the client library's (undici's fetch adds ~0.5 ms per call on this machine).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function rawSign(url: string, params: SignParams): Promise<SignResult> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'dan_sign', params });
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const reply = JSON.parse(text) as { result?: SignResult; error?: { message: string } };
        if (reply.result) resolve(reply.result);
        else reject(new Error(reply.error?.message ?? 'no result'));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Run `work` against a fresh devnet of n nodes started with these node settings (env). */
async function withDevnet<T>(o: ClusterBenchOptions, t: number, n: number, env: Record<string, string>, work: (d: Devnet) => Promise<T>): Promise<T> {
  const home = mkdtempSync(join(tmpdir(), 'dan-bench-'));
  Object.assign(process.env, { DAN_NODE_LOG_LEVEL: 'warn', DAN_NODE_POOL_SETS: '2', DAN_NODE_POOL_LOW_WATER: '4' }, env);
  o.progress(`${t}-of-${n}: starting ${n} nodes`);
  const devnet = await startDevnet({ home, nodes: n, threshold: t, rpcPort: o.rpcPort, p2pPort: o.p2pPort, fresh: true, progress: () => {} });
  try {
    return await work(devnet);
  } finally {
    await devnet.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

export async function benchCluster(o: ClusterBenchOptions): Promise<ClusterBenchResult[]> {
  const results: ClusterBenchResult[] = [];
  for (const [t, n] of o.configs) {
    // Phase 1: keyGen and refresh latency, on a devnet without background presigning (pool depth 0).
    const [keygenMs, refreshMs] = await withDevnet(o, t, n, { DAN_NODE_POOL_DEPTH: '0' }, async (devnet) => {
      const owner = privateKeyToAccount(generatePrivateKey());
      const client = createDanClient({ url: devnet.rpcUrl, account: owner, timeoutMs: 120_000 });
      const times: number[] = [];
      await client.keyGen({ threshold: t, owner: owner.address }); // warm-up, not counted
      for (let i = 0; i < o.keyGens; i++) {
        const t0 = performance.now();
        await client.keyGen({ threshold: t, owner: owner.address });
        times.push(performance.now() - t0);
        o.progress(`${t}-of-${n}: keyGen ${i + 1}/${o.keyGens} ${times.at(-1)!.toFixed(0)} ms`);
      }
      const key = await client.keyGen({ threshold: t, owner: owner.address });
      const refreshes: number[] = [];
      for (let i = 0; i < o.refreshes; i++) {
        const t0 = performance.now();
        await client.request('dan_refreshKey', { keyId: key.keyId, requestId: `bench-refresh-${i}` });
        refreshes.push(performance.now() - t0);
        o.progress(`${t}-of-${n}: refresh ${i + 1}/${o.refreshes} ${refreshes.at(-1)!.toFixed(0)} ms`);
      }
      return [times, refreshes];
    });
    // Phase 2: signing, on a fresh devnet whose one key has a pool deep enough for the warm run.
    const depth = { DAN_NODE_POOL_DEPTH: String(o.signs + WARM_UP + 8), DAN_NODE_POOL_SETS: '1', DAN_NODE_POOL_LOW_WATER: '0' };
    results.push(await withDevnet(o, t, n, depth, async (devnet) => {
      const owner = privateKeyToAccount(generatePrivateKey());
      const client = createDanClient({ url: devnet.rpcUrl, account: owner, timeoutMs: 120_000 });
      const key = await client.keyGen({ threshold: t, owner: owner.address });
      // Warm pool: wait until the presignature pool of the last key holds enough.
      for (;;) {
        const { pools } = await client.presignStatus(key.keyId);
        const available = pools.reduce((a, p) => a + p.available, 0);
        o.progress(`${t}-of-${n}: presignature pool ${available}/${o.signs + WARM_UP}`);
        if (available >= o.signs + WARM_UP) break;
        await new Promise((r) => setTimeout(r, 2000));
      }
      const requests: SignParams[] = [];
      for (let i = 0; i < o.signs + WARM_UP; i++) {
        const unsigned = { keyId: key.keyId, digest: keccak256(toHex(`warm ${i}`)), requestId: `warm-${i}` };
        requests.push({ ...unsigned, auth: await authorizeRequest(owner, 'dan_sign', unsigned, { network: await client.network(), expirySec: 3000 }) });
      }
      const signMs: number[] = [];
      const sigs: SignResult[] = [];
      for (const [i, r] of requests.entries()) {
        const t0 = performance.now();
        sigs.push(await rawSign(devnet.rpcUrl, r));
        if (i >= WARM_UP) signMs.push(performance.now() - t0); // the first calls warm up the JIT
      }
      let warmVerified = true;
      for (let i = 0; i < sigs.length; i++) warmVerified &&= (await recoverAddress({ hash: requests[i].digest, signature: sigs[i].signature })) === key.address;
      o.progress(`${t}-of-${n}: warm signing p50 ${percentile(signMs, 50).toFixed(2)} ms`);

      // Sustained load with refill.
      let count = 0;
      let failed = 0;
      let verified = true;
      const deadline = performance.now() + o.sustainedSec * 1000;
      let seq = 0;
      const worker = async () => {
        while (performance.now() < deadline) {
          const digest: Hex = keccak256(toHex(`sustained ${seq++}`));
          try {
            const sig = await client.sign({ keyId: key.keyId, digest });
            verified &&= (await recoverAddress({ hash: digest, signature: sig.signature })) === key.address;
            count++;
          } catch {
            failed++;
          }
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: o.concurrency }, worker));
      const elapsed = (performance.now() - started) / 1000;
      o.progress(`${t}-of-${n}: sustained ${(count / elapsed).toFixed(1)} signatures/s`);
      return {
        t,
        n,
        keygen: { reps: keygenMs.length, p50_ms: round2(percentile(keygenMs, 50)), p99_ms: round2(percentile(keygenMs, 99)) },
        refresh: { reps: refreshMs.length, p50_ms: round2(percentile(refreshMs, 50)), p99_ms: round2(percentile(refreshMs, 99)) },
        sign_warm: { reps: signMs.length, p50_ms: round2(percentile(signMs, 50)), p99_ms: round2(percentile(signMs, 99)), verified: warmVerified },
        sustained: { seconds: round2(elapsed), concurrency: o.concurrency, signatures: count, failed, signatures_per_s: round2(count / elapsed), verified },
        rss_mb_per_node: devnet.nodes.map((x) => rssMb(x.pid)),
      };
    }));
  }
  return results;
}

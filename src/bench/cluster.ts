// `dan-node bench --suite cluster`: the network as processes. For 2-of-3 and 3-of-5 devnets:
// keyGen latency; refresh latency (dan_refreshKey, both phases); a burst of concurrent keyGens
// (completed, refused as BUSY, answer times); online signing over JSON-RPC with a warm presignature
// pool (requests are signed beforehand and sent over a kept-alive connection, so the figure is the
// coordinator round trip); sustained signatures per second at a fixed concurrency with the pool
// refilling (through the client library, which signs each request); an overload run at a high
// concurrency (latency of the signatures, BUSY refusals); signing while a node is SIGKILLed and
// restarted (latency from the kill until it is back); resident memory of each node process.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keccak256, recoverAddress, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { authorizeRequest } from '../auth/index.ts';
import { startDevnet, type Devnet } from '../cli/devnet.ts';
import { createDanClient, type DanClient } from '../client/index.ts';
import { RpcError, RpcErrorCode, type SignParams, type SignResult } from '../rpc/index.ts';
import { cpuMs, rpc, rssMb } from './rpc.ts';
import { percentile, round2 } from './stats.ts';

export interface ClusterBenchOptions {
  configs: [number, number][];
  keyGens: number;
  refreshes: number;
  signs: number;
  sustainedSec: number;
  concurrency: number;
  /** Concurrent keyGens of the burst (0: none). */
  burst: number;
  /** Concurrency of the overload run (0: none). */
  overload: number;
  /** Concurrency of the runs with and without a node kill. */
  killConcurrency: number;
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
  /** cpu_ms_per_signature: CPU time of all node processes during the run (presigning included) per signature. */
  sustained: { seconds: number; concurrency: number; signatures: number; failed: number; signatures_per_s: number; cpu_ms_per_signature: number; verified: boolean };
  keygen_burst?: { requests: number; completed: number; refused_busy: number; other_errors: number; refusal_p50_ms: number; refusal_p99_ms: number; completed_p50_ms: number; seconds: number };
  overload?: Load;
  /** The node-kill run's load with no kill (what the kill costs is the difference). */
  steady?: Load;
  node_kill?: Load & { killed: string };
  rss_mb_per_node: number[];
}

/** A signing load: latency of the signatures, and what failed. */
interface Load {
  seconds: number;
  concurrency: number;
  signatures: number;
  busy: number;
  other_errors: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  verified: boolean;
  /** The first error that was not BUSY, if any (a failed run says why). */
  first_error?: string;
}

/** Signatures before the measured ones (JIT warm-up of the signing path), not counted. */
export const WARM_UP = 50;

/**
 * Sign at `concurrency` for `seconds`, each request signed and sent on its own (not through the
 * client library, which would retry BUSY refusals: here they are counted); `during` runs meanwhile.
 */
async function signingLoad(devnet: Devnet, owner: PrivateKeyAccount, key: { keyId: string; address: Hex }, concurrency: number, seconds: number, tag: string, during: () => Promise<void> = async () => {}): Promise<Load> {
  const network = await createDanClient({ url: devnet.rpcUrl, account: owner }).network();
  const via = new Agent({ keepAlive: true });
  const times: number[] = [];
  let busy = 0;
  let other = 0;
  let firstError: string | undefined;
  let verified = true;
  let seq = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const digest: Hex = keccak256(toHex(`${tag} ${seq++}`));
      const t0 = performance.now();
      try {
        const unsigned = { keyId: key.keyId, digest, requestId: `${tag.replace(/\W+/g, '-')}-${seq}-${Date.now()}` };
        const sig = await rpc<SignResult>(devnet.rpcUrl, 'dan_sign', { ...unsigned, auth: await authorizeRequest(owner, 'dan_sign', unsigned, { network }) }, via);
        times.push(performance.now() - t0);
        verified &&= (await recoverAddress({ hash: digest, signature: sig.signature })) === key.address;
      } catch (e) {
        if (e instanceof RpcError && e.code === RpcErrorCode.BUSY) busy++;
        else if (other++ === 0) firstError = (e as Error).message;
      }
    }
  };
  const started = performance.now();
  await Promise.all([...Array.from({ length: concurrency }, worker), during()]);
  return {
    seconds: round2((performance.now() - started) / 1000),
    concurrency,
    signatures: times.length,
    busy,
    other_errors: other,
    p50_ms: round2(percentile(times, 50)),
    p99_ms: round2(percentile(times, 99)),
    max_ms: round2(Math.max(0, ...times)),
    verified,
    ...(firstError ? { first_error: firstError } : {}),
  };
}

/** `count` keyGens sent at once (signed beforehand): how many complete, how many are refused and how fast. */
async function keyGenBurst(devnet: Devnet, client: DanClient, owner: PrivateKeyAccount, t: number, count: number): Promise<NonNullable<ClusterBenchResult['keygen_burst']>> {
  const network = await client.network();
  const requests = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const p = { threshold: t, owner: owner.address, requestId: `bench-burst-${i}-${Date.now()}` };
      return { ...p, auth: await authorizeRequest(owner, 'dan_keyGen', p, { network }) };
    }),
  );
  const completed: number[] = [];
  const refused: number[] = [];
  let other = 0;
  const started = performance.now();
  await Promise.all(
    requests.map(async (params) => {
      const t0 = performance.now();
      try {
        await rpc(devnet.rpcUrl, 'dan_keyGen', params, new Agent({ keepAlive: false }));
        completed.push(performance.now() - t0);
      } catch (e) {
        if (e instanceof RpcError && e.code === RpcErrorCode.BUSY) refused.push(performance.now() - t0);
        else other++;
      }
    }),
  );
  return {
    requests: count,
    completed: completed.length,
    refused_busy: refused.length,
    other_errors: other,
    refusal_p50_ms: round2(percentile(refused, 50)),
    refusal_p99_ms: round2(percentile(refused, 99)),
    completed_p50_ms: round2(percentile(completed, 50)),
    seconds: round2((performance.now() - started) / 1000),
  };
}

/** Run `work` against a fresh devnet of n nodes started with these node settings (env). */
export async function withDevnet<T>(o: Pick<ClusterBenchOptions, 'rpcPort' | 'p2pPort' | 'progress'>, t: number, n: number, env: Record<string, string>, work: (d: Devnet) => Promise<T>, masterKey = false): Promise<T> {
  const home = mkdtempSync(join(tmpdir(), 'dan-bench-'));
  Object.assign(process.env, { DAN_NODE_LOG_LEVEL: 'warn', DAN_NODE_POOL_SETS: '2', DAN_NODE_POOL_LOW_WATER: '4' }, env);
  o.progress(`${t}-of-${n}: starting ${n} nodes`);
  // Every benchmark client shares 127.0.0.1: the per-client connection cap would refuse the burst
  // and the overload run before admission control sees them.
  const nodeConfig = () => ({ rpc: { maxConnectionsPerClient: 4096 } });
  const devnet = await startDevnet({ home, nodes: n, threshold: t, rpcPort: o.rpcPort, p2pPort: o.p2pPort, fresh: true, nodeConfig, masterKey, progress: () => {} });
  try {
    return await work(devnet);
  } finally {
    await devnet.stop();
    if (process.env.KEEP_BENCH) o.progress(`kept ${home} (KEEP_BENCH)`);
    else rmSync(home, { recursive: true, force: true });
  }
}

export async function benchCluster(o: ClusterBenchOptions): Promise<ClusterBenchResult[]> {
  const results: ClusterBenchResult[] = [];
  for (const [t, n] of o.configs) {
    // Phase 1: keyGen and refresh latency, on a devnet without background presigning (pool depth 0).
    const [keygenMs, refreshMs, burst] = await withDevnet(o, t, n, { DAN_NODE_POOL_DEPTH: '0' }, async (devnet) => {
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
      let burst: ClusterBenchResult['keygen_burst'];
      if (o.burst > 0) {
        o.progress(`${t}-of-${n}: ${o.burst} keyGens at once`);
        burst = await keyGenBurst(devnet, client, owner, t, o.burst);
        o.progress(`${t}-of-${n}: burst: ${burst.completed} completed, ${burst.refused_busy} refused (p50 ${burst.refusal_p50_ms} ms), ${burst.other_errors} other errors`);
      }
      return [times, refreshes, burst] as const;
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
        sigs.push(await rpc<SignResult>(devnet.rpcUrl, 'dan_sign', r));
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
      const nodesCpu = () => devnet.nodes.reduce((sum, x) => sum + cpuMs(x.pid), 0);
      const cpuBefore = nodesCpu();
      const started = performance.now();
      await Promise.all(Array.from({ length: o.concurrency }, worker));
      const elapsed = (performance.now() - started) / 1000;
      const cpuPerSignature = count > 0 ? round2((nodesCpu() - cpuBefore) / count) : NaN;
      o.progress(`${t}-of-${n}: sustained ${(count / elapsed).toFixed(1)} signatures/s, ${cpuPerSignature} ms of node CPU per signature`);

      let overload: Load | undefined;
      if (o.overload > 0) {
        overload = await signingLoad(devnet, owner, key, o.overload, o.sustainedSec, 'overload');
        o.progress(`${t}-of-${n}: ${o.overload} at once: p99 ${overload.p99_ms} ms, ${overload.busy} busy, ${overload.other_errors} other errors${overload.first_error ? ` (first: ${overload.first_error})` : ''}`);
      }
      // A signer (not the coordinator) is SIGKILLed 1 s into the run and restarted 3 s later; the
      // same load without a kill first, so that what the kill costs is told from what the load does.
      const victim = n - 1;
      const steady = await signingLoad(devnet, owner, key, o.killConcurrency, 7, 'steady');
      const nodeKill = await signingLoad(devnet, owner, key, o.killConcurrency, 7, 'node kill', async () => {
        await new Promise((r) => setTimeout(r, 1000));
        await devnet.kill(victim);
        await new Promise((r) => setTimeout(r, 3000));
        await devnet.restart(victim);
      });
      o.progress(`${t}-of-${n}: node killed under load: p99 ${nodeKill.p99_ms} ms (${steady.p99_ms} ms with no kill), max ${nodeKill.max_ms} ms, ${nodeKill.busy} busy, ${nodeKill.other_errors} other errors${nodeKill.first_error ? ` (first: ${nodeKill.first_error})` : ''}`);
      return {
        t,
        n,
        keygen: { reps: keygenMs.length, p50_ms: round2(percentile(keygenMs, 50)), p99_ms: round2(percentile(keygenMs, 99)) },
        refresh: { reps: refreshMs.length, p50_ms: round2(percentile(refreshMs, 50)), p99_ms: round2(percentile(refreshMs, 99)) },
        sign_warm: { reps: signMs.length, p50_ms: round2(percentile(signMs, 50)), p99_ms: round2(percentile(signMs, 99)), verified: warmVerified },
        sustained: { seconds: round2(elapsed), concurrency: o.concurrency, signatures: count, failed, signatures_per_s: round2(count / elapsed), cpu_ms_per_signature: cpuPerSignature, verified },
        ...(burst ? { keygen_burst: burst } : {}),
        ...(overload ? { overload } : {}),
        steady,
        node_kill: { ...nodeKill, killed: `node ${victim}` },
        rss_mb_per_node: devnet.nodes.map((x) => rssMb(x.pid)),
      };
    }));
  }
  return results;
}

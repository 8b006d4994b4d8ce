// `dan-node bench --suite ab --baseline DIR`: this checkout against another one (a git worktree of
// an older commit, with its dependencies installed), in one run. A devnet of each runs side by side
// on 127.0.0.1, each with one key and a warm presignature pool; warm dan_sign requests (signed
// beforehand, kept-alive connections) then alternate between the two, one by one, so that both see
// the same machine noise. Reports p50/p99 per side and the ratio. Each side's devnet, client and
// request signing come from its own checkout (their wire formats may differ).
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { keccak256, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { loadFrom, thisCheckout } from './checkout.ts';
import { percentile, round2 } from './stats.ts';

export interface AbBenchOptions {
  baseline: string;
  configs: [number, number][];
  signs: number;
  rpcPort: number;
  p2pPort: number;
  progress(line: string): void;
}

export interface AbBenchResult {
  t: number;
  n: number;
  signs: number;
  baseline: { p50_ms: number; p99_ms: number };
  current: { p50_ms: number; p99_ms: number };
  /** current / baseline. */
  p50_ratio: number;
  p99_ratio: number;
}

const WARM_UP = 50;

interface Side {
  rpcUrl: string;
  stop(): Promise<void>;
  requests: unknown[];
  agent: Agent;
  times: number[];
}

/** A devnet of the checkout at `root` with one key, a pool for every request, and the requests signed. */
async function startSide(root: string, t: number, n: number, count: number, rpcPort: number, p2pPort: number): Promise<Side> {
  const [{ startDevnet }, { createDanClient }, { authorizeRequest }] = await Promise.all([loadFrom(root, 'cli/devnet'), loadFrom(root, 'client/index'), loadFrom(root, 'auth/index')]);
  const home = mkdtempSync(join(tmpdir(), 'dan-bench-ab-'));
  Object.assign(process.env, { DAN_NODE_LOG_LEVEL: 'warn', DAN_NODE_POOL_DEPTH: String(count), DAN_NODE_POOL_SETS: '1', DAN_NODE_POOL_LOW_WATER: '0' });
  const devnet = await startDevnet({ home, nodes: n, threshold: t, rpcPort, p2pPort, fresh: true, progress: () => {} });
  const stop = async () => {
    await devnet.stop();
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const owner = privateKeyToAccount(generatePrivateKey());
    const client = createDanClient({ url: devnet.rpcUrl, account: owner, timeoutMs: 120_000 });
    const key = await client.keyGen({ threshold: t, owner: owner.address });
    // An older checkout may predate network ids (its client then has no network()).
    const network = typeof client.network === 'function' ? await client.network() : undefined;
    const requests = [];
    for (let i = 0; i < count; i++) {
      const unsigned = { keyId: key.keyId, digest: keccak256(toHex(`ab ${i}`)), requestId: `ab-${i}` };
      requests.push({ ...unsigned, auth: await authorizeRequest(owner, 'dan_sign', unsigned, { network, expirySec: 3000 }) });
    }
    for (;;) {
      const { pools } = await client.presignStatus(key.keyId);
      if (pools.reduce((a: number, p: { available: number }) => a + p.available, 0) >= count) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return { rpcUrl: devnet.rpcUrl, stop, requests, agent: new Agent({ keepAlive: true, maxSockets: 1 }), times: [] };
  } catch (e) {
    await stop();
    throw e;
  }
}

function sign(side: Side, params: unknown): Promise<void> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'dan_sign', params });
  return new Promise((resolvePromise, reject) => {
    const req = request(side.rpcUrl, { method: 'POST', agent: side.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => ((JSON.parse(text) as { result?: unknown }).result ? resolvePromise() : reject(new Error(`dan_sign failed: ${text.slice(0, 200)}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function benchAb(o: AbBenchOptions): Promise<AbBenchResult[]> {
  const results: AbBenchResult[] = [];
  const count = o.signs + WARM_UP;
  for (const [t, n] of o.configs) {
    o.progress(`${t}-of-${n}: starting the baseline (${o.baseline}) and this checkout, filling both pools (${count})`);
    const baseline = await startSide(resolve(o.baseline), t, n, count, o.rpcPort, o.p2pPort);
    let current: Side | undefined;
    try {
      current = await startSide(thisCheckout(), t, n, count, o.rpcPort + 1, o.p2pPort + n);
      for (let i = 0; i < count; i++) {
        // Alternate which side goes first, so neither always follows the other's work.
        for (const side of i % 2 ? [current, baseline] : [baseline, current]) {
          const t0 = performance.now();
          await sign(side, side.requests[i]);
          if (i >= WARM_UP) side.times.push(performance.now() - t0);
        }
      }
    } finally {
      await current?.stop();
      await baseline.stop();
    }
    const figures = (s: Side) => ({ p50_ms: round2(percentile(s.times, 50)), p99_ms: round2(percentile(s.times, 99)) });
    const [b, c] = [figures(baseline), figures(current)];
    results.push({ t, n, signs: o.signs, baseline: b, current: c, p50_ratio: round2(c.p50_ms / b.p50_ms), p99_ratio: round2(c.p99_ms / b.p99_ms) });
    o.progress(`${t}-of-${n}: baseline p50 ${b.p50_ms} ms, this checkout p50 ${c.p50_ms} ms`);
  }
  return results;
}

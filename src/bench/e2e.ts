// `dan-node bench --suite e2e`: useDistributedPermission end to end on a devnet with a chain
// (anvil, Nexus, Smart Sessions, alto) and 2-of-3 node processes. Sequential calls, each waiting
// for its receipt, with the coordinator's breakdown per call: chain reads, gas estimation,
// threshold signing, submission, receipt, total, and the coordinator's own time (total minus the
// chain and bundler calls).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseAbi, parseEther, type PublicClient } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startDevnet } from '../cli/devnet.ts';
import { danActions } from '../client/dan-actions.ts';
import { danSession, grantSessions, nexusAccount } from '../client/smart-account.ts';
import { percentile, round2 } from './stats.ts';

export interface E2eBenchOptions {
  calls: number;
  ports: { rpc: number; p2p: number; anvil: number; bundler: number };
  progress(line: string): void;
}

export interface E2eBenchResult {
  t: number;
  n: number;
  calls: number;
  all_succeeded: boolean;
  phases: Record<string, { p50_ms: number; p99_ms: number }>;
  client_round_trip: { p50_ms: number; p99_ms: number };
}

const PHASES = ['chainMs', 'estimateMs', 'signMs', 'submitMs', 'receiptMs', 'totalMs', 'ownMs'];

export async function benchE2e(o: E2eBenchOptions): Promise<E2eBenchResult> {
  const home = mkdtempSync(join(tmpdir(), 'dan-bench-e2e-'));
  Object.assign(process.env, { DAN_NODE_LOG_LEVEL: 'warn' });
  o.progress('starting the chain stack and 3 nodes');
  const devnet = await startDevnet({
    home,
    nodes: 3,
    threshold: 2,
    rpcPort: o.ports.rpc,
    p2pPort: o.ports.p2p,
    chain: { anvilPort: o.ports.anvil, bundlerPort: o.ports.bundler },
    fresh: true,
    progress: () => {},
  });
  try {
    const chain = devnet.chain!;
    const chainDef = { id: chain.chainId, name: 'devnet', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [chain.rpcUrl] } } };
    const client = createPublicClient({ chain: chainDef, transport: http(chain.rpcUrl) }) as PublicClient;
    const owner = privateKeyToAccount(generatePrivateKey());
    const dan = createWalletClient({ account: owner, chain: chainDef, transport: http(chain.rpcUrl) }).extend(danActions({ url: devnet.rpcUrl }));
    const counter = chain.contracts.counter;
    const increment = encodeFunctionData({ abi: parseAbi(['function increment()']), functionName: 'increment' });
    const key = await dan.keyGen({ threshold: 2, policy: { chainId: chain.chainId, allow: [{ target: counter, selector: increment }] } });
    const account = await nexusAccount(client, { contracts: chain.contracts, owner: owner.address });
    const funder = createWalletClient({ account: privateKeyToAccount(chain.funded[0].privateKey), chain: chainDef, transport: http(chain.rpcUrl) });
    await client.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account.address, value: parseEther('10') }) });
    const { session, permissionId } = danSession({ contracts: chain.contracts, keyAddress: key.address, actions: [{ target: counter, selector: increment }] });
    await grantSessions(client, { contracts: chain.contracts, chainId: chain.chainId, bundlerUrl: chain.bundlerUrl, owner, account, sessions: [session] });
    o.progress(`key ${key.address}, account ${account.address}, session granted`);

    const samples: Record<string, number[]> = Object.fromEntries(PHASES.map((p) => [p, []]));
    const roundTrips: number[] = [];
    let ok = true;
    const warmUp = 5;
    for (let i = 0; i < o.calls + warmUp; i++) {
      const t0 = performance.now();
      const r = await dan.useDistributedPermissionWithReceipt({ keyId: key.keyId, permissionId, account: account.address, calls: [{ to: counter, data: increment }] });
      const dt = performance.now() - t0;
      ok &&= r.receipt?.success === true;
      if (i < warmUp) continue;
      roundTrips.push(dt);
      for (const p of PHASES) samples[p].push(r.timings?.[p] ?? NaN);
      if ((i + 1 - warmUp) % 10 === 0) o.progress(`${i + 1 - warmUp}/${o.calls} calls`);
    }
    return {
      t: 2,
      n: 3,
      calls: o.calls,
      all_succeeded: ok,
      phases: Object.fromEntries(PHASES.map((p) => [p.replace(/Ms$/, ''), { p50_ms: round2(percentile(samples[p], 50)), p99_ms: round2(percentile(samples[p], 99)) }])),
      client_round_trip: { p50_ms: round2(percentile(roundTrips, 50)), p99_ms: round2(percentile(roundTrips, 99)) },
    };
  } finally {
    await devnet.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

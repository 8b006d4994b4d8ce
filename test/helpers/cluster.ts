// Multi-process test clusters: a devnet (real node processes, real libp2p on 127.0.0.1, real
// LevelDB) in a temporary folder on free ports, plus clients and store access for assertions.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { startDevnet, type Devnet } from '../../src/cli/devnet.ts';
import { createDanClient, type DanClient } from '../../src/client/index.ts';
import { NodeStore } from '../../src/store/index.ts';

export interface Cluster extends Devnet {
  home: string;
  client(account?: PrivateKeyAccount): DanClient;
  /** Open node i's database (the node must be stopped). */
  openStore(i: number): Promise<NodeStore>;
  cleanup(): Promise<void>;
}

// Ports come from [20000, 32000), below Linux's ephemeral range (32768-60999): a port the OS
// hands out for outgoing connections could otherwise be taken between the check and the listen.
const PORT_LOW = 20000;
const PORT_HIGH = 32000;
const handedOut = new Set<number>();

/** A free TCP port on 127.0.0.1 that this process has not handed out before. */
export async function freePort(): Promise<number> {
  return freeRange(1);
}

/** The first of n consecutive free ports. */
export async function freeRange(n: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = PORT_LOW + Math.floor(Math.random() * (PORT_HIGH - PORT_LOW - n));
    const range = Array.from({ length: n }, (_, i) => base + i);
    if (range.some((p) => handedOut.has(p))) continue;
    if ((await Promise.all(range.map(portFree))).every(Boolean)) {
      range.forEach((p) => handedOut.add(p));
      return base;
    }
  }
  throw new Error('no free port range');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export async function startCluster(o: {
  nodes: number;
  threshold: number;
  chain?: boolean;
  env?: Record<string, string>;
  /** Extra Node.js flags and environment for node i (e.g. the misbehaving-node harness). */
  nodeProcess?: (i: number, peerIds: string[]) => { execArgv?: string[]; env?: Record<string, string> };
  /** Config sections merged into node i's config (e.g. shorter time-outs). */
  nodeConfig?: (i: number) => Record<string, Record<string, unknown>>;
  /** A master key for `threshold` of all nodes: keyGen derives keys (default: none, every keyGen is a DKG). */
  masterKey?: boolean;
}): Promise<Cluster> {
  const home = mkdtempSync(join(tmpdir(), 'dan-cluster-'));
  const saved = { ...process.env };
  Object.assign(process.env, o.env ?? {});
  let devnet: Devnet;
  try {
    const chain = o.chain ? { anvilPort: await freePort(), bundlerPort: await freePort() } : undefined;
    devnet = await startDevnet({ home, nodes: o.nodes, threshold: o.threshold, rpcPort: await freePort(), p2pPort: await freeRange(o.nodes), chain, nodeProcess: o.nodeProcess, nodeConfig: o.nodeConfig, masterKey: o.masterKey, progress: () => {} });
  } finally {
    for (const k of Object.keys(o.env ?? {})) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
  return {
    ...devnet,
    home,
    client: (account = privateKeyToAccount(generatePrivateKey())) => createDanClient({ url: devnet.rpcUrl, account }),
    openStore: (i) => NodeStore.open({ path: join(devnet.nodes[i].home, 'data'), secret: devnet.secret }),
    cleanup: async () => {
      await devnet.stop();
      if (!process.env.KEEP_CLUSTER) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Wait until the coordinator sees `n` nodes connected (itself included). */
export async function waitConnected(cluster: Cluster, n: number): Promise<void> {
  const client = cluster.client();
  for (let i = 0; i < 150; i++) {
    const { nodes } = await client.nodes();
    if (nodes.filter((x) => x.status !== 'disconnected').length === n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('nodes did not reconnect');
}

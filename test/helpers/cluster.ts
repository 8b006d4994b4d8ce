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

/** A free TCP port on 127.0.0.1 (bind to 0, read, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** n consecutive free ports. */
async function freeRange(n: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const ok = await Promise.all(Array.from({ length: n }, (_, i) => portFree(base + i)));
    if (ok.every(Boolean)) return base;
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

export async function startCluster(o: { nodes: number; threshold: number; env?: Record<string, string> }): Promise<Cluster> {
  const home = mkdtempSync(join(tmpdir(), 'dan-cluster-'));
  const saved = { ...process.env };
  Object.assign(process.env, o.env ?? {});
  let devnet: Devnet;
  try {
    devnet = await startDevnet({ home, nodes: o.nodes, threshold: o.threshold, rpcPort: await freePort(), p2pPort: await freeRange(o.nodes), progress: () => {} });
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

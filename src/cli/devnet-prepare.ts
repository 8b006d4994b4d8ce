// The folders of a devnet: one node home per node (identities kept across runs), each config
// listing every operator, node 0 the coordinator, ports on 127.0.0.1 (peer p2pPort+i, ops opsPort+i),
// the chain's contracts when there is one, and the shared operator secret in HOME/secret (each
// config names it: secretFile ../secret). Used by `dan-node devnet` before it starts the nodes, and
// by `dan-node devnet --prepare` for nodes run elsewhere (docker/compose.stack.yml).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configPath } from '../node/config.ts';
import type { ChainConfig } from '../node/config.ts';
import { initNode } from './init.ts';

/** The network id of every devnet (requests signed for it are refused by any other network). */
export const DEVNET_NETWORK = 'devnet';

/** What node configs need of the chain. */
export interface DevnetChain {
  chainId: number;
  rpcUrl: string;
  bundlerUrl: string;
  contracts: { entryPoint: string; smartSessions: string };
}

export interface PrepareOptions {
  home: string;
  nodes: number;
  rpcPort: number;
  p2pPort: number;
  /** Node i serves its ops endpoint on opsPort + i (default: a free port each). */
  opsPort?: number;
  chain?: DevnetChain;
  fresh?: boolean;
  /** Config sections merged into node i's config.json (e.g. { timeouts: { presignMs: 2000 } }). */
  nodeConfig?: (i: number) => Record<string, Record<string, unknown>>;
  progress(line: string): void;
}

export interface PreparedDevnet {
  home: string;
  secret: string;
  nodes: { home: string; peerId: string; listen: string }[];
}

export async function prepareDevnet(o: PrepareOptions): Promise<PreparedDevnet> {
  const home = resolve(o.home);
  if (o.fresh) rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const secretPath = join(home, 'secret');
  if (!existsSync(secretPath)) writeFileSync(secretPath, randomBytes(32).toString('hex'), { mode: 0o600 });
  const secret = readFileSync(secretPath, 'utf8').trim();

  const chain = o.chain;
  // 1. One folder per node; identities persist across runs.
  const nodes: { home: string; peerId: string; listen: string }[] = [];
  for (let i = 0; i < o.nodes; i++) {
    const nodeHome = join(home, `node-${i}`);
    const listen = `/ip4/127.0.0.1/tcp/${o.p2pPort + i}`;
    let peerId: string;
    if (existsSync(configPath(nodeHome))) {
      peerId = (JSON.parse(readFileSync(configPath(nodeHome), 'utf8')) as { operators: { peerId: string }[] }).operators[0].peerId;
    } else {
      peerId = (await initNode({ home: nodeHome, network: DEVNET_NETWORK, listen, secretFile: false })).peerId;
      o.progress(`created node ${i} (${peerId})`);
    }
    nodes.push({ home: nodeHome, peerId, listen });
  }
  // 2. Every node knows every operator; node 0 coordinates.
  const operators = nodes.map((n) => ({ peerId: n.peerId, addrs: [n.listen] }));
  nodes.forEach((n, i) => {
    const config = JSON.parse(readFileSync(configPath(n.home), 'utf8')) as Record<string, unknown>;
    Object.assign(config, {
      network: DEVNET_NETWORK,
      listen: [n.listen],
      operators: [operators[i], ...operators.filter((_, j) => j !== i)],
      coordinator: i === 0,
      rpc: { ...(config.rpc as object), host: '127.0.0.1', port: o.rpcPort },
      ops: { enabled: true, host: '127.0.0.1', port: o.opsPort === undefined ? 0 : o.opsPort + i },
      secretFile: '../secret',
      log: { level: process.env.DAN_NODE_LOG_LEVEL ?? 'info', file: 'node.log', console: false },
      chain: chain && {
        chainId: chain.chainId,
        entryPoint: chain.contracts.entryPoint,
        smartSessions: chain.contracts.smartSessions,
        smartSessionsVersion: 'pre-v1' satisfies ChainConfig['smartSessionsVersion'],
        ...(i === 0 ? { rpcUrl: chain.rpcUrl, bundlerUrl: chain.bundlerUrl } : {}),
      },
    });
    if (!chain) delete config.chain;
    for (const [section, values] of Object.entries(o.nodeConfig?.(i) ?? {})) config[section] = { ...(config[section] as object), ...values };
    writeFileSync(configPath(n.home), JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  });

  return { home, secret, nodes };
}

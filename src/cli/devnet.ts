// `dan-node devnet`: a whole local network on this machine, for developers. Starts n node processes
// (node 0 also coordinates and serves JSON-RPC), prints progress and a final `ready` line, writes
// HOME/devnet.json and, on SIGINT/SIGTERM, stops every child. Children also stop by themselves if
// this process dies (they watch their IPC channel), so nothing is left running.
// Everything listens on 127.0.0.1 only.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminRequest } from '../daemon/admin.ts';
import { configPath } from '../node/config.ts';
import { UsageError, intOption, parseOptions, type Command } from './args.ts';
import { initNode } from './init.ts';
import { startDevChain, type DevChain } from '../devchain/index.ts';

const usage = `Usage: dan-node devnet [--no-chain] [--no-master-key] [--nodes N] [--threshold T] [--home DIR] [--rpc-port PORT]
                      [--p2p-port PORT] [--ops-port PORT] [--anvil-port PORT] [--bundler-port PORT] [--fresh]

Starts a whole local network on 127.0.0.1: anvil with EntryPoint v0.7, Nexus 1.0.0, Smart Sessions,
the dan session validator and a demo counter; the alto bundler; and N node processes (node 0
coordinates), with a T-of-N master key so that keyGen derives keys instantly (made on the first
run, kept after). Prints progress, then "ready", and keeps running until SIGINT/SIGTERM, which
stops everything.

Options:
  --no-chain         the signing network only: no anvil, contracts or bundler
  --no-master-key    no master key: every keyGen runs a DKG (as isolated: true does)
  --anvil-port PORT  chain JSON-RPC port (default 8545)
  --bundler-port PORT  bundler JSON-RPC port (default 4337)
  --nodes N          number of nodes (default 3)
  --threshold T      default signing threshold written to devnet.json (default 2)
  --home DIR         where node folders, logs and devnet.json live (default .devnet)
  --rpc-port PORT    coordinator JSON-RPC port (default 8700)
  --p2p-port PORT    first peer port; node i listens on PORT+i (default 7100)
  --ops-port PORT    first ops port (GET /livez, /readyz, /metrics); node i serves on PORT+i (default 9470)
  --fresh            delete DIR first (new identities, no keys)
  -h, --help         show this help

HOME/devnet.json: { network, rpcUrl, walletProviderUrl, threshold, masterKey?, nodes: [{ peerId, pid, home, log, opsUrl }], chain?: { rpcUrl,
bundlerUrl, chainId, contracts: { entryPoint, nexusFactory, smartSessions, sessionValidator, ... },
funded: [{ privateKey, address }] } } (funded: anvil dev accounts free for apps and demos).
Node processes get extra Node.js flags from DAN_NODE_EXEC_ARGV (e.g. "--cpu-prof").`;

/** The network id of every devnet (requests signed for it are refused by any other network). */
export const DEVNET_NETWORK = 'devnet';

const BIN = fileURLToPath(new URL('../../bin/dan-node.js', import.meta.url));

export interface DevnetOptions {
  home: string;
  nodes: number;
  threshold: number;
  rpcPort: number;
  p2pPort: number;
  /** Node i serves its ops endpoint on opsPort + i (default: a free port each). */
  opsPort?: number;
  /** Start anvil, the contracts and alto on these ports (omit for a network without a chain). */
  chain?: { anvilPort: number; bundlerPort: number };
  fresh?: boolean;
  /** Extra Node.js flags and environment for node i's process (tests: e.g. a misbehaving-node harness). */
  nodeProcess?: (i: number, peerIds: string[]) => { execArgv?: string[]; env?: Record<string, string> };
  /** Config sections merged into node i's config.json (e.g. { timeouts: { presignMs: 2000 } }). */
  nodeConfig?: (i: number) => Record<string, Record<string, unknown>>;
  /** Make sure a master key for `threshold` of all nodes exists (keyGen then derives keys instantly). */
  masterKey?: boolean;
  progress(line: string): void;
}

export interface Devnet {
  rpcUrl: string;
  secret: string;
  /** The master key keyGen derives from (with masterKey). */
  master?: MasterKeyInfo;
  chain?: DevChain;
  nodes: { peerId: string; pid: number; home: string; log: string; opsUrl?: string }[];
  /** Kill node i (default SIGKILL) and wait until it is gone. */
  kill(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** Start node i again from its folder and wait until it runs. */
  restart(i: number): Promise<void>;
  stop(): Promise<void>;
}

/** Prepare node folders (reusing existing ones), start the processes, wait until all are connected. */
export async function startDevnet(o: DevnetOptions): Promise<Devnet> {
  const home = resolve(o.home);
  if (o.fresh) rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const secretPath = join(home, 'secret');
  if (!existsSync(secretPath)) writeFileSync(secretPath, randomBytes(32).toString('hex'), { mode: 0o600 });
  const secret = readFileSync(secretPath, 'utf8').trim();

  // 0. The chain: anvil, the contracts, alto.
  let chain: DevChain | undefined;
  if (o.chain) chain = await startDevChain({ home: join(home, 'chain'), anvilPort: o.chain.anvilPort, bundlerPort: o.chain.bundlerPort, progress: o.progress });

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
      log: { level: process.env.DAN_NODE_LOG_LEVEL ?? 'info', file: 'node.log', console: false },
      chain: chain && {
        chainId: chain.chainId,
        entryPoint: chain.contracts.entryPoint,
        smartSessions: chain.contracts.smartSessions,
        smartSessionsVersion: 'pre-v1',
        ...(i === 0 ? { rpcUrl: chain.rpcUrl, bundlerUrl: chain.bundlerUrl } : {}),
      },
    });
    if (!chain) delete config.chain;
    for (const [section, values] of Object.entries(o.nodeConfig?.(i) ?? {})) config[section] = { ...(config[section] as object), ...values };
    writeFileSync(configPath(n.home), JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  });

  // 3. Start the processes.
  const children: ChildProcess[] = [];
  const launch = (i: number): Promise<{ rpcUrl?: string; opsUrl?: string }> => {
    const n = nodes[i];
    const err = openSync(join(n.home, 'stderr.log'), 'a');
    const nodeFlags = process.env.DAN_NODE_EXEC_ARGV?.split(' ').filter(Boolean) ?? []; // e.g. --cpu-prof
    const extra = o.nodeProcess?.(i, nodes.map((m) => m.peerId)) ?? {};
    const child = spawn(process.execPath, [...nodeFlags, ...(extra.execArgv ?? []), BIN, 'start', '--home', n.home], {
      stdio: ['ignore', 'ignore', err, 'ipc'],
      env: { ...process.env, ...extra.env, DAN_NODE_SECRET: secret },
    });
    closeSync(err);
    children[i] = child;
    return waitStarted(child, i, n.home).then((info) => {
      o.progress(`node ${i} started (pid ${child.pid})`);
      return info;
    });
  };
  const stop = async () => {
    await Promise.all(children.map((c) => stopChild(c)));
    await chain?.stop();
  };
  try {
    const started = await Promise.all(nodes.map((_, i) => launch(i)));
    const rpcUrl = started[0].rpcUrl ?? `http://127.0.0.1:${o.rpcPort}`;
    o.progress('waiting for the nodes to connect to each other');
    await waitReady(rpcUrl, children);
    const info = nodes.map((n, i) => ({ peerId: n.peerId, pid: children[i].pid!, home: n.home, log: join(n.home, 'node.log'), opsUrl: started[i].opsUrl }));
    const master = o.masterKey ? await ensureMasterKey(nodes[0].home, o.threshold, nodes.length, o.progress) : undefined;
    return {
      rpcUrl,
      secret,
      master,
      chain,
      nodes: info,
      kill: (i, signal = 'SIGKILL') => stopChild(children[i], signal),
      restart: async (i) => {
        info[i].opsUrl = (await launch(i)).opsUrl;
        info[i].pid = children[i].pid!;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

interface MasterKeyInfo {
  keyId: string;
  publicKey: string;
  threshold: number;
  nodes: string[];
}

/** The master key for `threshold` of all `n` nodes: the one node 0 knows, or a new one. */
async function ensureMasterKey(coordinatorHome: string, threshold: number, n: number, progress: (line: string) => void): Promise<MasterKeyInfo> {
  const known = await adminRequest<{ masters: MasterKeyInfo[] }>(coordinatorHome, 'GET', '/masters');
  const fits = known.body.masters?.find((m) => m.threshold === threshold && m.nodes.length === n);
  if (fits) return fits;
  progress(`creating a ${threshold}-of-${n} master key (keyGen derives keys from it instantly)`);
  const made = await adminRequest<MasterKeyInfo & { error?: { message: string } }>(coordinatorHome, 'POST', '/masters', { threshold });
  if (made.status !== 200) throw new Error(`could not create the master key: ${made.body.error?.message}`);
  progress(`master key ${made.body.keyId}`);
  return made.body;
}

function waitStarted(child: ChildProcess, i: number, home: string): Promise<{ rpcUrl?: string; opsUrl?: string }> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${i} did not start within 30 s (see ${home}/stderr.log)`)), 30_000);
    child.on('message', (m: { event?: string; rpcUrl?: string; opsUrl?: string }) => {
      if (m?.event === 'started') {
        clearTimeout(timer);
        resolvePromise(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node ${i} exited with code ${code} during start (see ${home}/stderr.log)`));
    });
  });
}

async function waitReady(rpcUrl: string, children: ChildProcess[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (children.some((c) => c.exitCode !== null)) throw new Error('a node exited while the network was connecting');
    try {
      if ((await fetch(`${rpcUrl}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the nodes did not connect within 30 s');
}

function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolvePromise();
    });
    child.kill(signal);
  });
}

export const devnetCommand: Command = {
  name: 'devnet',
  usage,
  async run(argv) {
    const { values } = parseOptions(argv, {
      'no-chain': { type: 'boolean' },
      'no-master-key': { type: 'boolean' },
      'anvil-port': { type: 'string' },
      'bundler-port': { type: 'string' },
      nodes: { type: 'string' },
      threshold: { type: 'string' },
      home: { type: 'string' },
      'rpc-port': { type: 'string' },
      'p2p-port': { type: 'string' },
      'ops-port': { type: 'string' },
      fresh: { type: 'boolean' },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const nodes = intOption(values.nodes, 'nodes', 3, 2);
    const threshold = intOption(values.threshold, 'threshold', 2, 2);
    if (threshold > nodes) throw new UsageError(`--threshold ${threshold} exceeds --nodes ${nodes}`);
    if (nodes > 16) throw new UsageError('--nodes must be at most 16');
    const home = resolve(values.home ?? '.devnet');
    const progress = (line: string) => console.log(line);
    const devnet = await startDevnet({
      home,
      nodes,
      threshold,
      rpcPort: intOption(values['rpc-port'], 'rpc-port', 8700),
      p2pPort: intOption(values['p2p-port'], 'p2p-port', 7100),
      opsPort: intOption(values['ops-port'], 'ops-port', 9470),
      fresh: values.fresh,
      chain: values['no-chain'] ? undefined : { anvilPort: intOption(values['anvil-port'], 'anvil-port', 8545), bundlerPort: intOption(values['bundler-port'], 'bundler-port', 4337) },
      masterKey: !values['no-master-key'],
      progress,
    });
    const chain = devnet.chain;
    const walletProviderUrl = `${devnet.rpcUrl.replace(/^http/, 'ws')}/v1`;
    const info = {
      network: DEVNET_NETWORK,
      rpcUrl: devnet.rpcUrl,
      walletProviderUrl,
      threshold,
      ...(devnet.master ? { masterKey: devnet.master.keyId } : {}),
      nodes: devnet.nodes,
      ...(chain ? { chain: { rpcUrl: chain.rpcUrl, bundlerUrl: chain.bundlerUrl, chainId: chain.chainId, contracts: chain.contracts, funded: chain.funded } } : {}),
    };
    writeFileSync(join(home, 'devnet.json'), JSON.stringify(info, null, 2) + '\n');
    if (chain) console.log(`chain: ${chain.rpcUrl} (chain id ${chain.chainId}), bundler: ${chain.bundlerUrl}`);
    console.log(`coordinator JSON-RPC: ${devnet.rpcUrl}`);
    console.log(`legacy wallet-provider (walletProviderUrl for @biconomy/sdk 0.0.10 danActions): ${walletProviderUrl}`);
    console.log(`wrote ${join(home, 'devnet.json')}`);
    console.log('ready');
    return new Promise<number>((done) => {
      const shutdown = (signal: string) => {
        console.log(`${signal}: stopping ${devnet.nodes.length} nodes`);
        devnet.stop().then(() => done(0), () => done(1));
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
  },
};

// `dan-node devnet`: a whole local network on this machine, for developers. Starts the chain stack
// and n node processes (node 0 also coordinates and serves JSON-RPC), prints progress and a final
// `ready` line, writes HOME/devnet.json, reports and restarts a node that exits, and on
// SIGINT/SIGTERM/SIGHUP (or when its parent goes away) stops every child. Children also stop by
// themselves if this process dies (they watch their IPC channel), so nothing is left running.
// --chain-only and --prepare run the first steps alone (for containers). Everything listens on
// 127.0.0.1 only.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminRequest } from '../daemon/admin.ts';
import { UsageError, intOption, parseOptions, type Command } from './args.ts';
import { DEVNET_NETWORK, prepareDevnet } from './devnet-prepare.ts';
import { startDevChain, type DevChain } from '../devchain/index.ts';
import { isAlive } from '../devchain/process.ts';

const usage = `Usage: dan-node devnet [--no-chain] [--no-master-key] [--no-restart] [--nodes N] [--threshold T] [--home DIR] [--rpc-port PORT]
                      [--p2p-port PORT] [--ops-port PORT] [--anvil-port PORT] [--bundler-port PORT] [--fresh]
                      [--chain-only | --prepare]

Starts a whole local network on 127.0.0.1: anvil with EntryPoint v0.7, Nexus 1.0.0, Smart Sessions,
the dan session validator and a demo counter; the alto bundler; and N node processes (node 0
coordinates), with a T-of-N master key so that keyGen derives keys instantly (made on the first
run, kept after). Prints progress, then "ready", and keeps running until SIGINT/SIGTERM (or until
the process that started it goes away), which stops everything. A node that exits meanwhile is
reported and started again (after 1, 2, 4 ... 30 s).

Options:
  --no-chain         the signing network only: no anvil, contracts or bundler
  --no-master-key    no master key: every keyGen runs a DKG (as isolated: true does)
  --no-restart       report a node that exits, but do not start it again
  --anvil-port PORT  chain JSON-RPC port (default 8545)
  --bundler-port PORT  bundler JSON-RPC port (default 4337)
  --nodes N          number of nodes (default 3)
  --threshold T      default signing threshold written to devnet.json (default 2)
  --home DIR         where node folders, logs and devnet.json live (default .devnet)
  --rpc-port PORT    coordinator JSON-RPC port (default 8700)
  --p2p-port PORT    first peer port; node i listens on PORT+i (default 7100)
  --ops-port PORT    first ops port (GET /livez, /readyz, /metrics); node i serves on PORT+i (default 9470)
  --fresh            delete DIR first (new identities, no keys)
  --chain-only       only the chain: anvil, contracts, alto; writes DIR/chain.json and runs until stopped
  --prepare          only write the node folders and configs (chain from DIR/chain.json) and
                     DIR/devnet.json, then exit: the nodes run elsewhere (docker/compose.stack.yml)
  -h, --help         show this help

HOME/devnet.json (removed at stop; one left by a devnet that was killed is detected and replaced):
{ pid, network, rpcUrl, walletProviderUrl, threshold, masterKey?, nodes: [{ peerId, pid, home, log, opsUrl }], chain?: { rpcUrl,
bundlerUrl, chainId, contracts: { entryPoint, nexusFactory, smartSessions, sessionValidator, ... },
funded: [{ privateKey, address }] } } (funded: anvil dev accounts free for apps and demos).
Node processes get extra Node.js flags from DAN_NODE_EXEC_ARGV (e.g. "--cpu-prof").`;

export { DEVNET_NETWORK };

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
  /** Start a node again when it exits on its own (not through kill/stop), with backoff. */
  restart?: boolean;
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
  // 0. The chain (anvil, the contracts, alto); 1-2. the node folders and configs.
  const chain = o.chain ? await startDevChain({ home: join(home, 'chain'), anvilPort: o.chain.anvilPort, bundlerPort: o.chain.bundlerPort, progress: o.progress }) : undefined;
  const { secret, nodes } = await prepareDevnet({ ...o, home, fresh: false, chain });

  // 3. Start the processes; a node that exits on its own is reported (and started again).
  const children: ChildProcess[] = [];
  let stopping = false;
  const supervisor = new Supervisor(o.progress, o.restart === true, (i) => launch(i).then(() => undefined));
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
    child.once('exit', (code, signal) => {
      if (!stopping && children[i] === child && !supervisor.expected.delete(child)) supervisor.exited(i, code, signal, join(n.home, 'stderr.log'));
    });
    return waitStarted(child, i, n.home).then((info) => {
      o.progress(`node ${i} started (pid ${child.pid})`);
      return info;
    });
  };
  const stop = async () => {
    stopping = true;
    supervisor.stop();
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
      kill: (i, signal = 'SIGKILL') => {
        if (children[i]) supervisor.expected.add(children[i]);
        return stopChild(children[i], signal);
      },
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

/**
 * Reports a node that exited on its own (code or signal, and where its stderr is) and, when asked,
 * starts it again after 1, 2, 4 ... 30 s; a node that then ran for a minute starts over at 1 s.
 */
class Supervisor {
  /** Processes stopped on purpose (kill/stop): their exit is not reported. */
  readonly expected = new Set<ChildProcess>();
  private readonly failures = new Map<number, { count: number; since: number }>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly progress: (line: string) => void,
    private readonly restart: boolean,
    private readonly launch: (i: number) => Promise<void>,
  ) {}

  exited(i: number, code: number | null, signal: NodeJS.Signals | null, stderr: string): void {
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!this.restart) return this.progress(`node ${i} exited (${how}; see ${stderr}); not restarting (--no-restart)`);
    const last = this.failures.get(i);
    const count = last && Date.now() - last.since < 60_000 ? last.count + 1 : 1;
    this.failures.set(i, { count, since: Date.now() });
    const delayMs = Math.min(30_000, 1000 * 2 ** (count - 1));
    this.progress(`node ${i} exited (${how}; see ${stderr}); restarting in ${delayMs / 1000} s`);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.launch(i).then(
        () => this.progress(`node ${i} restarted`),
        (e: Error) => this.progress(`node ${i} did not restart: ${e.message}`),
      );
    }, delayMs);
    this.timers.add(timer);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
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

/**
 * Refuse to start over a devnet that runs from the same folder; a devnet.json whose devnet is gone
 * (killed, machine restarted) is stale: say so and remove it.
 */
function claimInfoFile(file: string): void {
  if (!existsSync(file)) return;
  let pid: unknown;
  try {
    pid = (JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown }).pid;
  } catch {
    // unreadable: stale
  }
  if (typeof pid === 'number' && pid !== process.pid && isAlive(pid)) {
    throw new UsageError(`a devnet already runs from ${dirname(file)} (pid ${pid}); stop it first (Ctrl-C, or kill ${pid})`);
  }
  console.log(`${file} was left by a devnet that no longer runs: replacing it`);
  rmSync(file, { force: true });
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
      'no-restart': { type: 'boolean' },
      'anvil-port': { type: 'string' },
      'bundler-port': { type: 'string' },
      nodes: { type: 'string' },
      threshold: { type: 'string' },
      home: { type: 'string' },
      'rpc-port': { type: 'string' },
      'p2p-port': { type: 'string' },
      'ops-port': { type: 'string' },
      fresh: { type: 'boolean' },
      'chain-only': { type: 'boolean' },
      prepare: { type: 'boolean' },
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
    const ports = {
      rpcPort: intOption(values['rpc-port'], 'rpc-port', 8700),
      p2pPort: intOption(values['p2p-port'], 'p2p-port', 7100),
      opsPort: intOption(values['ops-port'], 'ops-port', 9470),
    };
    const chainPorts = { anvilPort: intOption(values['anvil-port'], 'anvil-port', 8545), bundlerPort: intOption(values['bundler-port'], 'bundler-port', 4337) };
    if (values['chain-only'] && values.prepare) throw new UsageError('--chain-only and --prepare are separate steps');
    if (values['chain-only']) return runChainOnly(home, chainPorts, progress);
    if (values.prepare) return prepareOnly(home, nodes, threshold, ports, !values['no-chain'], progress);
    const infoFile = join(home, 'devnet.json');
    claimInfoFile(infoFile);
    const devnet = await startDevnet({
      home,
      nodes,
      threshold,
      ...ports,
      fresh: values.fresh,
      chain: values['no-chain'] ? undefined : chainPorts,
      masterKey: !values['no-master-key'],
      restart: !values['no-restart'],
      progress,
    });
    const chain = devnet.chain;
    const walletProviderUrl = `${devnet.rpcUrl.replace(/^http/, 'ws')}/v1`;
    const info = {
      pid: process.pid,
      network: DEVNET_NETWORK,
      rpcUrl: devnet.rpcUrl,
      walletProviderUrl,
      threshold,
      ...(devnet.master ? { masterKey: devnet.master.keyId } : {}),
      nodes: devnet.nodes,
      ...(chain ? { chain: { rpcUrl: chain.rpcUrl, bundlerUrl: chain.bundlerUrl, chainId: chain.chainId, contracts: chain.contracts, funded: chain.funded } } : {}),
    };
    writeFileSync(infoFile, JSON.stringify(info, null, 2) + '\n');
    if (chain) console.log(`chain: ${chain.rpcUrl} (chain id ${chain.chainId}), bundler: ${chain.bundlerUrl}`);
    console.log(`coordinator JSON-RPC: ${devnet.rpcUrl}`);
    console.log(`legacy wallet-provider (walletProviderUrl for @biconomy/sdk 0.0.10 danActions): ${walletProviderUrl}`);
    console.log(`wrote ${infoFile}`);
    console.log('ready');
    return runUntilStopped(`${devnet.nodes.length} nodes${chain ? ', the bundler and the chain' : ''}`, infoFile, () => devnet.stop());
  },
};

/**
 * Keep running until SIGINT, SIGTERM or SIGHUP, or until the process that started this one (a
 * shell, npm, a process manager) goes away without a signal; then remove `infoFile` and stop.
 */
function runUntilStopped(what: string, infoFile: string, stop: () => Promise<void>): Promise<number> {
  return new Promise<number>((done) => {
    let stopping = false;
    const shutdown = (why: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${why}: stopping ${what}`);
      rmSync(infoFile, { force: true });
      stop().then(() => done(0), () => done(1));
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGHUP', () => shutdown('SIGHUP'));
    const parent = process.ppid;
    setInterval(() => process.ppid !== parent && shutdown('parent process exited'), 500).unref();
  });
}

/** --chain-only: anvil, the contracts and alto, described in HOME/chain.json (for --prepare). */
async function runChainOnly(home: string, ports: { anvilPort: number; bundlerPort: number }, progress: (line: string) => void): Promise<number> {
  const file = join(home, 'chain.json');
  claimInfoFile(file);
  const chain = await startDevChain({ home: join(home, 'chain'), ...ports, progress });
  const info = { pid: process.pid, rpcUrl: chain.rpcUrl, bundlerUrl: chain.bundlerUrl, chainId: chain.chainId, contracts: chain.contracts, funded: chain.funded };
  writeFileSync(file, JSON.stringify(info, null, 2) + '\n');
  console.log(`wrote ${file}`);
  console.log('ready');
  return runUntilStopped('the bundler and the chain', file, () => chain.stop());
}

/**
 * --prepare: the node folders and configs (with the chain of HOME/chain.json unless --no-chain)
 * and HOME/devnet.json, for nodes that run elsewhere (each `dan-node start --home HOME/node-i`).
 */
async function prepareOnly(home: string, nodes: number, threshold: number, ports: { rpcPort: number; p2pPort: number; opsPort: number }, withChain: boolean, progress: (line: string) => void): Promise<number> {
  const chainFile = join(home, 'chain.json');
  if (withChain && !existsSync(chainFile)) throw new UsageError(`${chainFile} not found: run dan-node devnet --chain-only --home ${home} first (or pass --no-chain)`);
  const chain = withChain ? (JSON.parse(readFileSync(chainFile, 'utf8')) as DevChain) : undefined;
  const prepared = await prepareDevnet({ home, nodes, ...ports, chain, progress });
  const rpcUrl = `http://127.0.0.1:${ports.rpcPort}`;
  const info = {
    network: DEVNET_NETWORK,
    rpcUrl,
    walletProviderUrl: `${rpcUrl.replace(/^http/, 'ws')}/v1`,
    threshold,
    nodes: prepared.nodes.map((n, i) => ({ peerId: n.peerId, home: n.home, log: join(n.home, 'node.log'), opsUrl: `http://127.0.0.1:${ports.opsPort + i}` })),
    ...(chain ? { chain: { rpcUrl: chain.rpcUrl, bundlerUrl: chain.bundlerUrl, chainId: chain.chainId, contracts: chain.contracts, funded: chain.funded } } : {}),
  };
  writeFileSync(join(home, 'devnet.json'), JSON.stringify(info, null, 2) + '\n');
  console.log(`prepared ${nodes} nodes in ${home}; start each with: dan-node start --home ${join(home, 'node-<i>')}`);
  return 0;
}

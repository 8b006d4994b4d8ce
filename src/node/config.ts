// Node configuration: one JSON file per node (DIR/config.json, documented in node/README.md),
// overridden by environment variables (DAN_NODE_*) and then by command-line flags. Everything is
// validated at start; each bad value gets its own message naming where it came from (the file's
// field, the environment variable or the flag) and the expected form.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { LOG_LEVELS, type LogLevel } from '../log/logger.ts';
import type { RequestChain } from '../requests/index.ts';

export interface OperatorConfig {
  peerId: string;
  addrs: string[];
}

export interface NodeConfig {
  /**
   * The network's id, the same in every operator's config: every signed request names it (its
   * EIP-712 domain) and key ids derive from it, so a request signed for one network is refused by
   * every other.
   */
  network: string;
  /** Multiaddrs to listen on for peers (default: 127.0.0.1 only). */
  listen: string[];
  /** Every operator of the network (the allow-list), this node included. */
  operators: OperatorConfig[];
  /** Coordinator role: serve the JSON-RPC API on rpc.host:rpc.port. */
  coordinator: boolean;
  /**
   * The coordinator's HTTP server; `legacyWalletProvider` also serves the legacy wallet-provider
   * WebSocket protocol on the same port (ws://host:port/v1/keygen, /v1/signgen, /v1/addEphemeralKey).
   */
  rpc: { host: string; port: number; maxBodyBytes: number; maxConnectionsPerClient: number; legacyWalletProvider: boolean };
  /**
   * The operations endpoint every node serves (GET /livez, /readyz, /metrics), apart from the
   * JSON-RPC; loopback by default. `enabled: false` turns it off.
   */
  ops: { enabled: boolean; host: string; port: number };
  /** Database folder (relative to the node's home). */
  dataDir: string;
  /** Identity key file (relative to home). */
  identityFile: string;
  /** File holding the operator secret, when DAN_NODE_SECRET is not set (relative to home). */
  secretFile?: string;
  /** Presignature pools: depth per signer set, how many sets, refill-under-load threshold. */
  presign: { poolDepth: number; poolSets: number; lowWater: number };
  timeouts: { keyGenMs: number; presignMs: number; signMs: number };
  /** Aborted sessions a peer may cause per hour before this node suspends it (bans need no count). */
  bans: { maxAbortsPerHour: number };
  /**
   * The chain this node signs userOps for: nodes check userOps against it; a coordinator also
   * needs rpcUrl and bundlerUrl to build and submit them (dan_useDistributedPermission).
   */
  chain?: ChainConfig;
  /** Log level; `file` adds a JSON-lines file (relative to home); `console: false` silences stderr. */
  log: { level: LogLevel; file?: string; console?: boolean };
}

/** What userOps are checked against (RequestChain), and for a coordinator where to build and send them. */
export type ChainConfig = RequestChain & { smartSessionsVersion: 'pre-v1' | 'v1'; rpcUrl?: string; bundlerUrl?: string };

export const DEFAULT_CONFIG: Omit<NodeConfig, 'network'> = {
  listen: ['/ip4/127.0.0.1/tcp/7001'],
  operators: [],
  coordinator: false,
  rpc: { host: '127.0.0.1', port: 8700, maxBodyBytes: 1024 * 1024, maxConnectionsPerClient: 64, legacyWalletProvider: true },
  ops: { enabled: true, host: '127.0.0.1', port: 9464 },
  dataDir: 'data',
  identityFile: 'identity.key',
  presign: { poolDepth: 16, poolSets: 2, lowWater: 4 },
  timeouts: { keyGenMs: 60_000, presignMs: 15_000, signMs: 5_000 },
  bans: { maxAbortsPerHour: 10 },
  log: { level: 'info' },
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[], source: string) {
    super(`invalid configuration (${source}):\n  - ${problems.join('\n  - ')}`);
  }
}

/** Network ids: letters, digits, '.', '_' and '-', up to 64 characters. */
export const NETWORK_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Overrides from flags or environment, already split into fields. */
export interface ConfigOverrides {
  network?: string;
  listen?: string[];
  rpc?: string; // HOST:PORT
  ops?: string; // HOST:PORT or "off"
  coordinator?: boolean;
  logLevel?: string;
  poolDepth?: string;
  poolSets?: string;
  lowWater?: string;
}

/** Where each override came from (an environment variable or a flag), for error messages. */
type OverrideSources = { [K in keyof ConfigOverrides]-?: string };

const ENV_SOURCES: OverrideSources = {
  network: 'DAN_NODE_NETWORK',
  listen: 'DAN_NODE_LISTEN',
  rpc: 'DAN_NODE_RPC',
  ops: 'DAN_NODE_OPS',
  coordinator: 'DAN_NODE_COORDINATOR',
  logLevel: 'DAN_NODE_LOG_LEVEL',
  poolDepth: 'DAN_NODE_POOL_DEPTH',
  poolSets: 'DAN_NODE_POOL_SETS',
  lowWater: 'DAN_NODE_POOL_LOW_WATER',
};

const FLAG_SOURCES: OverrideSources = {
  network: '--network',
  listen: '--listen',
  rpc: '--rpc',
  ops: '--ops',
  coordinator: '--coordinator',
  logLevel: '--log-level',
  // No flags (environment or file only); named for completeness.
  poolDepth: 'poolDepth override',
  poolSets: 'poolSets override',
  lowWater: 'lowWater override',
};

/** The config fields each override sets (the field paths validateConfig names in its messages). */
const OVERRIDE_FIELDS: { [K in keyof ConfigOverrides]-?: string[] } = {
  network: ['network'],
  listen: ['listen'],
  rpc: ['rpc.host', 'rpc.port'],
  ops: ['ops.host', 'ops.port', 'ops.enabled'],
  coordinator: ['coordinator'],
  logLevel: ['log.level'],
  poolDepth: ['presign.poolDepth'],
  poolSets: ['presign.poolSets'],
  lowWater: ['presign.lowWater'],
};

export function configPath(home: string): string {
  return join(home, 'config.json');
}

export function envOverrides(env: NodeJS.ProcessEnv): ConfigOverrides {
  return {
    network: env.DAN_NODE_NETWORK,
    listen: env.DAN_NODE_LISTEN ? env.DAN_NODE_LISTEN.split(',').map((s) => s.trim()) : undefined,
    rpc: env.DAN_NODE_RPC,
    ops: env.DAN_NODE_OPS,
    coordinator: env.DAN_NODE_COORDINATOR === undefined ? undefined : ['1', 'true', 'yes'].includes(env.DAN_NODE_COORDINATOR),
    logLevel: env.DAN_NODE_LOG_LEVEL,
    poolDepth: env.DAN_NODE_POOL_DEPTH,
    poolSets: env.DAN_NODE_POOL_SETS,
    lowWater: env.DAN_NODE_POOL_LOW_WATER,
  };
}

/** Load DIR/config.json, apply env then flag overrides, validate. */
export function loadConfig(home: string, env: NodeJS.ProcessEnv, flags: ConfigOverrides = {}): NodeConfig {
  const path = configPath(home);
  if (!existsSync(path)) throw new ConfigError([`${path} does not exist (run dan-node init --home ${home})`], path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError([`not valid JSON: ${(e as Error).message}`], path);
  }
  const env_ = envOverrides(env);
  const problems: string[] = [];
  const merged = applyOverrides(applyOverrides(raw, env_, ENV_SOURCES, problems), flags, FLAG_SOURCES, problems);
  // A field set by the environment or a flag is blamed on it, not on the file.
  const setBy = new Map<string, string>();
  for (const [o, sources] of [[env_, ENV_SOURCES], [flags, FLAG_SOURCES]] as const) {
    for (const k of Object.keys(o) as (keyof ConfigOverrides)[]) if (o[k] !== undefined) for (const f of OVERRIDE_FIELDS[k]) setBy.set(f, sources[k]);
  }
  if (problems.length) throw new ConfigError(problems, 'environment and flags');
  try {
    return validateConfig(merged, path);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const blamed = e.problems.map((p) => {
      const field = [...setBy.keys()].find((f) => p.startsWith(`${f} `));
      return field ? `${p} (set by ${setBy.get(field)})` : p;
    });
    throw new ConfigError(blamed, setBy.size ? `${path}, with environment and flag overrides` : path);
  }
}

function applyOverrides(raw: unknown, o: ConfigOverrides, sources: OverrideSources, problems: string[]): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const c = structuredClone(raw) as Record<string, unknown>;
  if (o.network !== undefined) c.network = o.network;
  if (o.listen) c.listen = o.listen;
  if (o.coordinator !== undefined) c.coordinator = o.coordinator;
  if (o.rpc !== undefined) {
    const m = /^(.+):(\d+)$/.exec(o.rpc);
    if (!m) problems.push(`${sources.rpc} must be HOST:PORT (e.g. 127.0.0.1:8700), got ${JSON.stringify(o.rpc)}`);
    else c.rpc = { ...(c.rpc as object), host: m[1], port: Number(m[2]) };
  }
  if (o.ops === 'off') c.ops = { ...(c.ops as object), enabled: false };
  else if (o.ops !== undefined) {
    const m = /^(.+):(\d+)$/.exec(o.ops);
    if (!m) problems.push(`${sources.ops} must be HOST:PORT (e.g. 127.0.0.1:9464) or off, got ${JSON.stringify(o.ops)}`);
    else c.ops = { ...(c.ops as object), enabled: true, host: m[1], port: Number(m[2]) };
  }
  for (const k of ['poolDepth', 'poolSets', 'lowWater'] as const) {
    if (o[k] !== undefined && !/^\d+$/.test(o[k])) problems.push(`${sources[k]} must be a whole number, got ${JSON.stringify(o[k])}`);
  }
  if (o.logLevel !== undefined) c.log = { ...(c.log as object), level: o.logLevel };
  if (o.poolDepth !== undefined) c.presign = { ...(c.presign as object), poolDepth: Number(o.poolDepth) };
  if (o.poolSets !== undefined) c.presign = { ...(c.presign as object), poolSets: Number(o.poolSets) };
  if (o.lowWater !== undefined) c.presign = { ...(c.presign as object), lowWater: Number(o.lowWater) };
  return c;
}

type Check = (value: unknown, path: string, problems: string[]) => unknown;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function int(min: number, max: number): Check {
  return (v, path, problems) => {
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) problems.push(`${path} must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
    return v;
  };
}

const multiaddrPattern = /^\/(ip4|ip6|dns4|dns6|dns)\/[^/]+\/tcp\/\d+(\/p2p\/\w+)?$/;

export function validateConfig(raw: unknown, source: string): NodeConfig {
  const problems: string[] = [];
  if (!isObj(raw)) throw new ConfigError(['the file must contain a JSON object'], source);
  const known = new Set(Object.keys(DEFAULT_CONFIG).concat(['network', 'secretFile', 'chain', '$comment']));
  for (const k of Object.keys(raw)) if (!known.has(k)) problems.push(`unknown field "${k}"`);
  const d = DEFAULT_CONFIG;
  const pick = <T>(obj: Record<string, unknown>, key: string, fallback: T): T => (obj[key] === undefined ? fallback : (obj[key] as T));

  const network = raw.network;
  if (network === undefined) problems.push('network is missing: set it to the id every operator of this network uses (letters, digits, ".", "_", "-"), e.g. "acme-mainnet"');
  else if (typeof network !== 'string' || !NETWORK_ID.test(network)) problems.push(`network must be 1-64 letters, digits, ".", "_" or "-", got ${JSON.stringify(network)}`);
  const listen = pick<unknown>(raw, 'listen', d.listen);
  if (!Array.isArray(listen) || listen.length === 0 || !listen.every((a) => typeof a === 'string' && multiaddrPattern.test(a))) {
    problems.push(`listen must be a non-empty array of TCP multiaddrs like "/ip4/127.0.0.1/tcp/7001", got ${JSON.stringify(listen)}`);
  }
  const operators = pick<unknown>(raw, 'operators', d.operators);
  if (!Array.isArray(operators)) problems.push('operators must be an array of { peerId, addrs }');
  else {
    operators.forEach((op, i) => {
      if (!isObj(op) || typeof op.peerId !== 'string' || !/^12D3Koo[1-9A-HJ-NP-Za-km-z]{40,60}$/.test(op.peerId)) {
        problems.push(`operators[${i}].peerId must be an Ed25519 libp2p peer id (12D3Koo...)`);
      }
      if (!isObj(op) || !Array.isArray(op.addrs) || !op.addrs.every((a) => typeof a === 'string' && multiaddrPattern.test(a))) {
        problems.push(`operators[${i}].addrs must be an array of TCP multiaddrs`);
      }
    });
    const ids = operators.map((o) => (isObj(o) ? o.peerId : undefined));
    if (new Set(ids).size !== ids.length) problems.push('operators must not repeat a peer id');
  }
  const coordinator = pick<unknown>(raw, 'coordinator', d.coordinator);
  if (typeof coordinator !== 'boolean') problems.push('coordinator must be true or false');
  const rpcRaw = pick<unknown>(raw, 'rpc', {});
  const rpc = { ...d.rpc, ...(isObj(rpcRaw) ? rpcRaw : {}) };
  if (!isObj(rpcRaw)) problems.push('rpc must be an object { host, port, maxBodyBytes, maxConnectionsPerClient, legacyWalletProvider }');
  else for (const k of Object.keys(rpcRaw)) if (!(k in d.rpc)) problems.push(`unknown field "rpc.${k}"`);
  if (typeof rpc.legacyWalletProvider !== 'boolean') problems.push('rpc.legacyWalletProvider must be true or false');
  if (typeof rpc.host !== 'string' || rpc.host.length === 0) problems.push('rpc.host must be a host name or IP (e.g. 127.0.0.1)');
  int(0, 65535)(rpc.port, 'rpc.port', problems);
  int(1024, 64 * 1024 * 1024)(rpc.maxBodyBytes, 'rpc.maxBodyBytes', problems);
  int(1, 65536)(rpc.maxConnectionsPerClient, 'rpc.maxConnectionsPerClient', problems);
  const opsRaw = pick<unknown>(raw, 'ops', {});
  const ops = { ...d.ops, ...(isObj(opsRaw) ? opsRaw : {}) };
  if (!isObj(opsRaw)) problems.push('ops must be an object { enabled, host, port }');
  else for (const k of Object.keys(opsRaw)) if (!(k in d.ops)) problems.push(`unknown field "ops.${k}"`);
  if (typeof ops.enabled !== 'boolean') problems.push('ops.enabled must be true or false');
  if (typeof ops.host !== 'string' || ops.host.length === 0) problems.push('ops.host must be a host name or IP (e.g. 127.0.0.1)');
  int(0, 65535)(ops.port, 'ops.port', problems);
  const dataDir = pick<unknown>(raw, 'dataDir', d.dataDir);
  if (typeof dataDir !== 'string' || !dataDir) problems.push('dataDir must be a path');
  const identityFile = pick<unknown>(raw, 'identityFile', d.identityFile);
  if (typeof identityFile !== 'string' || !identityFile) problems.push('identityFile must be a path');
  const secretFile = raw.secretFile;
  if (secretFile !== undefined && (typeof secretFile !== 'string' || !secretFile)) problems.push('secretFile must be a path');
  const presignRaw = pick<unknown>(raw, 'presign', {});
  const presign = { ...d.presign, ...(isObj(presignRaw) ? presignRaw : {}) };
  int(0, 1024)(presign.poolDepth, 'presign.poolDepth', problems);
  int(1, 64)(presign.poolSets, 'presign.poolSets', problems);
  int(0, 1024)(presign.lowWater, 'presign.lowWater', problems);
  const timeoutsRaw = pick<unknown>(raw, 'timeouts', {});
  const timeouts = { ...d.timeouts, ...(isObj(timeoutsRaw) ? timeoutsRaw : {}) };
  for (const k of ['keyGenMs', 'presignMs', 'signMs'] as const) int(100, 600_000)(timeouts[k], `timeouts.${k}`, problems);
  const bansRaw = pick<unknown>(raw, 'bans', {});
  const bans = { ...d.bans, ...(isObj(bansRaw) ? bansRaw : {}) };
  if (!isObj(bansRaw)) problems.push('bans must be an object { maxAbortsPerHour }');
  else for (const k of Object.keys(bansRaw)) if (!(k in d.bans)) problems.push(`unknown field "bans.${k}"`);
  int(0, 10_000)(bans.maxAbortsPerHour, 'bans.maxAbortsPerHour', problems);
  const logRaw = pick<unknown>(raw, 'log', {});
  const log = { ...d.log, ...(isObj(logRaw) ? logRaw : {}) };
  if (!LOG_LEVELS.includes(log.level as LogLevel)) problems.push(`log.level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(log.level)}`);
  if (log.file !== undefined && (typeof log.file !== 'string' || !log.file)) problems.push('log.file must be a path');
  if (log.console !== undefined && typeof log.console !== 'boolean') problems.push('log.console must be true or false');
  const chain = raw.chain;
  if (chain !== undefined) {
    if (!isObj(chain)) problems.push('chain must be an object { chainId, entryPoint, smartSessions, smartSessionsVersion, rpcUrl?, bundlerUrl? }');
    else {
      int(1, Number.MAX_SAFE_INTEGER)(chain.chainId, 'chain.chainId', problems);
      for (const k of ['entryPoint', 'smartSessions'] as const) {
        if (typeof chain[k] !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(chain[k] as string)) problems.push(`chain.${k} must be a 0x address`);
      }
      if (chain.smartSessionsVersion !== 'pre-v1' && chain.smartSessionsVersion !== 'v1') problems.push('chain.smartSessionsVersion must be "pre-v1" or "v1"');
      for (const k of ['rpcUrl', 'bundlerUrl'] as const) {
        if (chain[k] !== undefined && (typeof chain[k] !== 'string' || !/^https?:\/\/\S+$/.test(chain[k] as string))) problems.push(`chain.${k} must be an http(s) URL`);
      }
    }
  }
  if (problems.length) throw new ConfigError(problems, source);
  return {
    ...(chain !== undefined ? { chain: chain as unknown as ChainConfig } : {}),
    network: network as string,
    listen: listen as string[],
    operators: operators as OperatorConfig[],
    coordinator: coordinator as boolean,
    rpc,
    ops,
    dataDir: dataDir as string,
    identityFile: identityFile as string,
    secretFile: secretFile as string | undefined,
    presign,
    timeouts,
    bans,
    log: log as NodeConfig['log'],
  };
}

export function resolveHome(home: string, path: string): string {
  return isAbsolute(path) ? path : join(home, path);
}

// `dan-node init`: create a node's home folder with a persistent identity, a config file and (unless
// told not to) a random operator secret file.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createIdentityFile } from '../net/identity.ts';
import { DEFAULT_CONFIG, configPath, validateConfig, type NodeConfig } from '../node/config.ts';
import { UsageError, parseOptions, type Command } from './args.ts';

const usage = `Usage: dan-node init --home DIR --network ID [--listen MULTIADDR] [--rpc HOST:PORT] [--coordinator]
                     [--peer PEERID@MULTIADDR ...] [--no-secret-file]

Creates DIR (mode 0700) with a new Ed25519 identity (identity.key, mode 0600), a config file
(config.json, documented in node/README.md) and an operator secret (secret, mode 0600: 32 random
bytes that encrypt the key shares at rest), then prints the node's peer id.

Options:
  --home DIR               the node's folder (required)
  --network ID             the network's id, the same for every operator (required; e.g. acme-mainnet)
  --listen MULTIADDR       address for peer connections (default /ip4/127.0.0.1/tcp/7001)
  --rpc HOST:PORT          JSON-RPC address when this node coordinates (default 127.0.0.1:8700)
  --coordinator            take the coordinator role (serve the JSON-RPC API)
  --peer PEERID@MULTIADDR  another operator (repeatable); edit "operators" in config.json later to add more
  --no-secret-file         write no secret file; give the secret in DAN_NODE_SECRET or a file named by
                           DAN_NODE_SECRET_FILE (16+ characters)
  -h, --help               show this help

Keep a copy of the secret somewhere safe: without it the shares cannot be decrypted. To keep it off
the node's disk, move it elsewhere and point "secretFile" at it, or pass it in DAN_NODE_SECRET.`;

export interface InitOptions {
  home: string;
  network: string;
  /** Write HOME/secret (default true). */
  secretFile?: boolean;
  listen?: string;
  rpc?: string;
  coordinator?: boolean;
  peers?: { peerId: string; addrs: string[] }[];
}

const SECRET_FILE = 'secret';

/** Create a node home; returns the peer id. Used by `init` and by the devnet. */
export async function initNode(o: InitOptions): Promise<{ peerId: string; config: NodeConfig }> {
  const home = resolve(o.home);
  if (existsSync(configPath(home))) throw new UsageError(`${configPath(home)} already exists; refusing to overwrite an existing node`);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const peerId = await createIdentityFile(join(home, DEFAULT_CONFIG.identityFile));
  const listen = o.listen ?? DEFAULT_CONFIG.listen[0];
  const [host, port] = o.rpc ? [o.rpc.replace(/:\d+$/, ''), Number(o.rpc.split(':').pop())] : [DEFAULT_CONFIG.rpc.host, DEFAULT_CONFIG.rpc.port];
  const raw = {
    network: o.network,
    listen: [listen],
    operators: [{ peerId, addrs: [listen] }, ...(o.peers ?? [])],
    coordinator: o.coordinator ?? false,
    rpc: { host, port, maxBodyBytes: DEFAULT_CONFIG.rpc.maxBodyBytes },
    dataDir: DEFAULT_CONFIG.dataDir,
    identityFile: DEFAULT_CONFIG.identityFile,
    ...(o.secretFile !== false ? { secretFile: SECRET_FILE } : {}),
    presign: DEFAULT_CONFIG.presign,
    timeouts: DEFAULT_CONFIG.timeouts,
    log: DEFAULT_CONFIG.log,
  };
  const config = validateConfig(raw, '--network/--listen/--rpc/--peer options');
  if (o.secretFile !== false) writeFileSync(join(home, SECRET_FILE), randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  writeFileSync(configPath(home), JSON.stringify(raw, null, 2) + '\n', { mode: 0o600 });
  return { peerId, config };
}

function parsePeer(spec: string): { peerId: string; addrs: string[] } {
  const at = spec.indexOf('@');
  if (at < 1) throw new UsageError(`--peer must look like PEERID@/ip4/127.0.0.1/tcp/7002, got "${spec}"`);
  return { peerId: spec.slice(0, at), addrs: [spec.slice(at + 1)] };
}

export const initCommand: Command = {
  name: 'init',
  usage,
  async run(argv) {
    const { values } = parseOptions(argv, {
      home: { type: 'string' },
      network: { type: 'string' },
      'no-secret-file': { type: 'boolean' },
      listen: { type: 'string' },
      rpc: { type: 'string' },
      coordinator: { type: 'boolean' },
      peer: { type: 'string', multiple: true },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    if (!values.home) throw new UsageError('--home is required');
    if (!values.network) throw new UsageError('--network is required: the id every operator of this network puts in its config (e.g. acme-mainnet)');
    const secretFile = !values['no-secret-file'];
    const { peerId } = await initNode({
      home: values.home,
      network: values.network,
      secretFile,
      listen: values.listen,
      rpc: values.rpc,
      coordinator: values.coordinator,
      peers: (values.peer ?? []).map(parsePeer),
    });
    console.log(peerId);
    const home = resolve(values.home);
    console.error(
      secretFile
        ? `operator secret written to ${join(home, SECRET_FILE)} (mode 0600); back it up: without it the key shares cannot be decrypted`
        : `no secret file: start the node with DAN_NODE_SECRET set to at least 16 random characters (e.g. openssl rand -base64 32), DAN_NODE_SECRET_FILE naming a file that holds them, or "secretFile" in ${configPath(home)}`,
    );
    return 0;
  },
};

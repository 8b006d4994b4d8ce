// The `dan-node` command line: dispatches to one command per file in this folder. A command's
// module (and everything it imports: libp2p, viem, the engine) loads only when that command runs,
// so `dan-node --help` answers at once.
import { UsageError, type Command } from './args.ts';

interface Entry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

const commands: Entry[] = [
  { name: 'init', summary: 'create a node home (identity + config) and print its peer id', load: async () => (await import('./init.ts')).initCommand },
  { name: 'start', summary: 'run a node (dan-node start --home DIR)', load: async () => (await import('./start.ts')).startCommand },
  { name: 'health', summary: "ask a running node's ops endpoint whether it is alive or ready (dan-node health --home DIR)", load: async () => (await import('./health.ts')).healthCommand },
  { name: 'devnet', summary: 'run a local network of node processes on 127.0.0.1', load: async () => (await import('./devnet.ts')).devnetCommand },
  { name: 'bans', summary: 'list, show or lift bans, suspensions and blames (dan-node bans list --home DIR)', load: async () => (await import('./bans.ts')).bansCommand },
  { name: 'refresh', summary: 'refresh a key through the network as an operator (dan-node refresh --home DIR --key ID)', load: async () => (await import('./refresh.ts')).refreshCommand },
  {
    name: 'master',
    summary: 'create or list the master keys that keyGen derives keys from (dan-node master create --home DIR --threshold T)',
    load: async () => (await import('./master.ts')).masterCommand,
  },
  {
    name: 'keys',
    summary: 'add, remove or replace nodes of the keys, change their threshold (dan-node keys add --home DIR --node PEER)',
    load: async () => (await import('./keys.ts')).keysCommand,
  },
  {
    name: 'backup',
    summary: 'write an encrypted backup of a node, running or stopped (dan-node backup --home DIR --out FILE)',
    load: async () => (await import('./backup.ts')).backupCommand,
  },
  { name: 'restore', summary: 'rebuild a node folder from a backup (dan-node restore --in FILE --home DIR)', load: async () => (await import('./backup.ts')).restoreCommand },
  {
    name: 'secret',
    summary: "re-encrypt a stopped node's store under a new operator secret (dan-node secret rotate --home DIR --new-secret-file PATH)",
    load: async () => (await import('./secret.ts')).secretCommand,
  },
  { name: 'bench', summary: 'run performance benchmarks (dan-node bench --suite tss|cluster|derived|e2e|ab)', load: async () => (await import('./bench.ts')).benchCommand },
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'dan-node: threshold-signing network for smart-account session keys (DKLs23 threshold ECDSA)',
    '',
    'Usage: dan-node <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `dan-node <command> --help` for the options of a command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v') {
    console.log((await import('../version.ts')).VERSION);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    console.error(`dan-node: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`dan-node ${name}: ${e.message}\n\n${command.usage}`);
      return 2;
    }
    const err = e as Error & { code?: string };
    console.error(`dan-node ${name}: ${err.code ? `[${err.code}] ` : ''}${err.message}`);
    if (process.env.DAN_DEBUG) console.error(err.stack);
    return 1;
  }
}

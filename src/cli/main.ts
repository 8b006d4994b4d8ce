// The `dan-node` command line: dispatches to one command per file in this folder.
import { UsageError, type Command } from './args.ts';
import { bansCommand } from './bans.ts';
import { benchCommand } from './bench.ts';
import { devnetCommand } from './devnet.ts';
import { initCommand } from './init.ts';
import { keysCommand } from './keys.ts';
import { masterCommand } from './master.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import { secretCommand } from './secret.ts';
import { refreshCommand } from './refresh.ts';
import { startCommand } from './start.ts';

const commands: Command[] = [initCommand, startCommand, devnetCommand, bansCommand, refreshCommand, masterCommand, keysCommand, backupCommand, restoreCommand, secretCommand, benchCommand];

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
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`dan-node: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
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

// `dan-node secret rotate`: re-encrypt a stopped node's store under a new operator secret
// (src/store/rotate.ts: crash-safe; run it again after an interruption).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { adminRequest } from '../daemon/admin.ts';
import { MIN_SECRET_LENGTH, readSecret } from '../daemon/secret.ts';
import { loadConfig, resolveHome } from '../node/config.ts';
import { rotateSecret } from '../store/index.ts';
import { UsageError, parseOptions, type Command } from './args.ts';

const usage = `Usage: dan-node secret rotate --home DIR --new-secret-file PATH

Re-encrypts the node's store under a new operator secret: a copy of the database is written under
the new secret (new salt, every key share and presignature sealed again), then swapped in; the old
secret no longer opens the store. The current secret comes from DAN_NODE_SECRET or the configured
secret file, as for dan-node start; the new one from --new-secret-file (at least ${MIN_SECRET_LENGTH} characters;
generate one with: openssl rand -base64 32).
Stop the node first. An interrupted rotation is finished by running the command again with the
same new secret (the node refuses to start until then). Afterwards, start the node with the new
secret (point DAN_NODE_SECRET or "secretFile" at it). Backups taken before the rotation still
need the old secret.

Options:
  --home DIR               the node's folder (required)
  --new-secret-file PATH   a file holding the new secret (required)
  -h, --help               show this help`;

export const secretCommand: Command = {
  name: 'secret',
  usage,
  async run(argv) {
    const { values, positionals } = parseOptions(argv, { home: { type: 'string' }, 'new-secret-file': { type: 'string' } }, true);
    if (values.help) {
      console.log(usage);
      return 0;
    }
    if (positionals[0] !== 'rotate' || positionals.length > 1) throw new UsageError(positionals[0] ? `unknown command: secret ${positionals.join(' ')}` : 'secret needs a command: rotate');
    if (!values.home) throw new UsageError('--home is required');
    if (!values['new-secret-file']) throw new UsageError('--new-secret-file is required');
    const home = resolve(values.home);
    const next = readFileSync(resolve(values['new-secret-file']), 'utf8').trim();
    if (next.length < MIN_SECRET_LENGTH) throw new UsageError(`the new secret is ${next.length} characters long; at least ${MIN_SECRET_LENGTH} are needed`);
    if (await running(home)) throw new UsageError(`the node at ${home} is running: stop it first`);
    const config = loadConfig(home, process.env);
    const r = await rotateSecret(resolveHome(home, config.dataDir), readSecret(home, config, process.env), next, (line) => console.error(line));
    console.log(r.resumed ? 'the interrupted rotation is finished' : `store re-encrypted under the new secret (${r.entries} entries)`);
    console.log('start the node with the new secret: set DAN_NODE_SECRET, or "secretFile" in config.json, to it');
    return 0;
  },
};

async function running(home: string): Promise<boolean> {
  try {
    await adminRequest(home, 'GET', '/peers');
    return true;
  } catch {
    return false;
  }
}

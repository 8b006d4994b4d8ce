// `dan-node backup` and `dan-node restore`: an encrypted snapshot of a node (src/backup), taken
// through the running node's control socket or, with the node stopped, from its store; and a node
// folder rebuilt from one.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { restoreBackup, takeBackup, type BackupSummary } from '../backup/index.ts';
import { adminRequest } from '../daemon/admin.ts';
import { MIN_SECRET_LENGTH } from '../daemon/secret.ts';
import { resolveHome } from '../node/config.ts';
import { loadIdentity } from '../net/identity.ts';
import { UsageError, parseOptions, type Command } from './args.ts';
import { withNode } from './local-node.ts';

const backupUsage = `Usage: dan-node backup --home DIR --out FILE

Writes an encrypted backup of the node to FILE: its config.json, its identity key and every entry
of its store (key records and shares, used-presignature tombstones, the request journal, pending
keys, bans), read from one snapshot. Works while the node runs (through DIR/admin.sock: signing
goes on) or is stopped (then it opens the store, which needs DAN_NODE_SECRET or the configured
secret file). The file is encrypted under the operator secret, which it does not contain: keep the
secret apart from the backups. Presignatures are not restored from a backup (see restore).

Options:
  --home DIR   the node's folder (required)
  --out FILE   where to write the backup (required; written beside it, then renamed)
  --json       print the summary as JSON
  -h, --help   show this help`;

const restoreUsage = `Usage: dan-node restore --in FILE --home DIR [--secret-file PATH]

Rebuilds a node folder from a backup: config.json, the identity key and the store. DIR must not
hold a config, identity key or database yet. The operator secret the node used when the backup was
taken opens it: DAN_NODE_SECRET, or --secret-file.
Every presignature of the backup is dropped and leaves a tombstone (it may have been used after
the backup; a presignature used twice leaks the key): the node presigns afresh once it runs. Keys
refreshed after the backup have moved on without this node's old share (it cannot sign them until
a reshare brings it back).

Options:
  --in FILE           the backup (required)
  --home DIR          the node folder to create (required)
  --secret-file PATH  a file holding the operator secret (else DAN_NODE_SECRET)
  --json              print the summary as JSON
  -h, --help          show this help`;

export const backupCommand: Command = {
  name: 'backup',
  usage: backupUsage,
  async run(argv) {
    const { values } = parseOptions(argv, { home: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) {
      console.log(backupUsage);
      return 0;
    }
    if (!values.home) throw new UsageError('--home is required');
    if (!values.out) throw new UsageError('--out is required');
    const home = resolve(values.home);
    const out = resolve(values.out);
    const { result: summary, via } = await withNode(
      home,
      async () => {
        const r = await adminRequest<BackupSummary & { error?: { code: string; message: string } }>(home, 'POST', '/backup', { out });
        if (r.status !== 200) throw Object.assign(new Error(r.body.error?.message ?? `the node answered ${r.status}`), { code: r.body.error?.code });
        return r.body;
      },
      (store, config) => takeBackup({ store, home, identityFile: config.identityFile, peerId: loadIdentity(resolveHome(home, config.identityFile)).peerId }, out),
    );
    if (values.json) console.log(JSON.stringify({ ...summary, via }, null, 2));
    else console.log(`backup of ${via === 'node' ? 'the running node' : 'the stopped node'} written to ${summary.out}: ${summary.entries} store entries, ${summary.bytes} bytes`);
    return 0;
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  usage: restoreUsage,
  async run(argv) {
    const { values } = parseOptions(argv, { in: { type: 'string' }, home: { type: 'string' }, 'secret-file': { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) {
      console.log(restoreUsage);
      return 0;
    }
    if (!values.in) throw new UsageError('--in is required');
    if (!values.home) throw new UsageError('--home is required');
    const secretFile = values['secret-file'];
    const secret = secretFile ? readFileSync(resolve(secretFile), 'utf8').trim() : process.env.DAN_NODE_SECRET;
    if (!secret) throw new UsageError('the operator secret is needed: set DAN_NODE_SECRET or pass --secret-file');
    if (secret.length < MIN_SECRET_LENGTH) throw new UsageError(`the secret is ${secret.length} characters long; at least ${MIN_SECRET_LENGTH} are needed`);
    const home = resolve(values.home);
    console.error(`restoring ${resolve(values.in)} into ${home} ...`);
    const r = await restoreBackup(resolve(values.in), home, secret);
    if (values.json) {
      console.log(JSON.stringify(r, null, 2));
      return 0;
    }
    console.log(`restored node ${r.peerId} (backup of ${new Date(r.createdAt).toISOString()}) into ${home}`);
    console.log(`${r.keys} keys, ${r.journal} journal entries, ${r.entries} store entries; ${r.presignaturesDropped} presignatures dropped, ${r.tombstones} presignature ids that can never be used again`);
    console.log(`start it with: dan-node start --home ${home} (with its secret set as before)`);
    return 0;
  },
};

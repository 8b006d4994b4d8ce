// Backups of a node (`dan-node backup`, `dan-node restore`; file format in file.ts).
// A backup holds the node's config.json and identity key and every store entry read from one
// snapshot (so it is consistent while the node runs): key records, key shares (still sealed),
// tombstones of used presignatures, the request journal, pending keys and shares, peer records.
// It is encrypted under the operator secret (not stored in it). A restore rebuilds the node
// folder and drops every presignature of the backup, each leaving a tombstone: one may have been
// used after the backup, and a presignature used twice leaks the key. The restored node presigns
// afresh; a key refreshed (or reshared) after the backup has moved on without this node's old share.
// Assumes: the operator secret at restore is the one the store used when the backup was taken.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { configPath, resolveHome } from '../node/config.ts';
import { NodeStore, type RestoreSummary } from '../store/index.ts';
import { BackupError, BackupReader, BackupWriter, type BackupRecord } from './file.ts';

export { BackupError } from './file.ts';

const CONFIG = 'config.json';
const IDENTITY = 'identity.key';

export interface BackupSummary {
  out: string;
  entries: number;
  bytes: number;
  createdAt: number;
}

export interface BackupSource {
  store: NodeStore;
  home: string;
  /** config.identityFile (relative to home or absolute). */
  identityFile: string;
  peerId: string;
}

/** Write a backup of the node to `out` (an absolute path; written beside it, then renamed). */
export async function takeBackup(node: BackupSource, out: string): Promise<BackupSummary> {
  const createdAt = Date.now();
  const kdf = await node.store.kdfRecord();
  const writer = new BackupWriter(out, { createdAt, peerId: node.peerId, kdf: Buffer.from(kdf).toString('base64') }, (salt) => node.store.backupKey(salt));
  try {
    writer.write({ kind: 'file', name: CONFIG, value: readFileSync(configPath(node.home)) });
    writer.write({ kind: 'file', name: IDENTITY, value: readFileSync(resolveHome(node.home, node.identityFile)) });
    const entries = await node.store.exportEntries((name, value) => writer.write({ kind: 'entry', name, value }));
    writer.finish();
    return { out, entries, bytes: statSync(out).size, createdAt };
  } catch (e) {
    writer.abort();
    throw e;
  }
}

export interface RestoreResult extends RestoreSummary {
  peerId: string;
  createdAt: number;
  dataDir: string;
}

/**
 * Rebuild a node folder `home` (without config, identity or database) from the backup `file`,
 * opened with the operator `secret`.
 */
export async function restoreBackup(file: string, home: string, secret: string): Promise<RestoreResult> {
  const reader = new BackupReader(file);
  try {
    const { header } = reader;
    if (existsSync(configPath(home))) throw new BackupError('BACKUP_INVALID', `${configPath(home)} exists: restore into a new node folder`, { home });
    const key = await NodeStore.backupKeyFor(secret, Buffer.from(header.kdf, 'base64'), Buffer.from(header.salt, 'hex'));
    const records = reader.records(key);
    const files = new Map<string, Uint8Array>();
    // The files come first (a for-of with break would close the generator: step it by hand).
    let first: BackupRecord | undefined;
    for (let next = records.next(); !next.done; next = records.next()) {
      if (next.value.kind === 'entry') {
        first = next.value;
        break;
      }
      files.set(next.value.name, next.value.value);
    }
    const config = files.get(CONFIG);
    const identity = files.get(IDENTITY);
    if (!config || !identity) throw new BackupError('BACKUP_INVALID', 'the backup holds no config or identity key');
    const parsed = JSON.parse(Buffer.from(config).toString('utf8')) as { dataDir?: string; identityFile?: string };
    const dataDir = resolveHome(home, parsed.dataDir ?? 'data');
    const identityPath = resolveHome(home, parsed.identityFile ?? IDENTITY);
    if (existsSync(identityPath)) throw new BackupError('BACKUP_INVALID', `${identityPath} exists: restore into a new node folder`, { home });
    async function* entries(): AsyncGenerator<[string, Uint8Array]> {
      if (first) yield [first.name, first.value];
      for (const r of records) {
        if (r.kind !== 'entry') throw new BackupError('BACKUP_INVALID', `file record ${r.name} after the store entries`);
        yield [r.name, r.value];
      }
    }
    mkdirSync(home, { recursive: true, mode: 0o700 });
    const { store, summary } = await NodeStore.restore(dataDir, entries(), secret).finally(() => key.fill(0));
    await store.close();
    mkdirSync(dirname(identityPath), { recursive: true, mode: 0o700 });
    writeFileSync(identityPath, identity, { mode: 0o600 });
    writeFileSync(configPath(home), config, { mode: 0o600 });
    return { ...summary, peerId: header.peerId, createdAt: header.createdAt, dataDir };
  } finally {
    reader.close();
  }
}

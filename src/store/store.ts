// The node's persistent store: key shares, the presignature pool and the request journal, in one
// LevelDB database per node (`level`), secrets encrypted at rest (see crypto.ts).
//
// Layout (sublevel -> key -> value; "sealed" = nonce || XChaCha20-Poly1305 ciphertext, AAD = "<sublevel>/<key>"):
//   meta            kdf | check | restored json: KDF parameters + salt (clear) | hex of the sealed check value |
//                                          { at } when the store was rebuilt from a backup (restore)
//   keys            <keyId>                json: KeyMeta (public)
//   key-shares      <keyId>                sealed encoded key share
//   presigs         <keyId>/<presigId>     sealed presignature record
//   presig-index    <keyId>/<presigId>     json: { signers, addedAt } (public; lists without decrypting)
//   presig-retired  <keyId>/<presigId>     json: { reason, at, requestId? } tombstone: an id that was
//                                          consumed/discarded/invalidated can never be added again
//   journal         <requestId>            json: JournalEntry (public: hashes, ids, partial signatures)
//   pending-shares  <keyId>                sealed { generation, share } of a refresh not yet committed
//   pending-keys    <keyId>                json: PendingKeyRecord { session, since, meta } of a DKG not yet
//                                          confirmed by every party (invisible to getKey/listKeys)
//   pending-key-shares <keyId>             sealed encoded key share of that DKG
//   peers           <peerId>/<by>          json: PeerRecord (a ban, suspension or blame, with evidence)
//   peer-aborts     <peerId>               json: { at, code, session }[] of the last hour (not fsynced)
// Record and index of a presignature are always written and deleted in the same batch.
//
// A new key is written pending first (putPendingKey) and only becomes a key (getKey, listKeys,
// presignatures) with commitPendingKey, which moves meta and share in one batch; a key id is
// either committed or pending, never both.
// Security-relevant writes (putKey, replaceShare, commitPendingShare, putPendingKey,
// commitPendingKey, discardPendingKey, removeKey, consumePresignature, discardPresignature, putPeerRecord,
// liftPeerRecord) are single atomic batches written with { sync: true } (fsync) and complete before the method resolves,
// so a caller that gets a record back from consumePresignature knows the consumption and its
// journal entry are durable before it computes and releases a partial signature.
// Read-check-write sequences hold in-process locks (locks.ts): `key:<keyId>` shared by pool
// operations and exclusive for putKey/replaceShare, `presig:<keyId>/<id>` and `journal:<requestId>`
// exclusive.
//
// Assumes: one process owns the database (LevelDB's LOCK; a second open -> STORE_LOCKED); key ids
// are printable ASCII without '/' (so "<keyId>/" prefixes are unambiguous range scans);
// presignature ids are lowercase hex; the directory is dedicated to this database (open sets it to
// 0700 and every file in it to 0600, again on close; files LevelDB creates in between are protected
// by the directory mode).
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { Level, type BatchOperation } from 'level';
import { CIPHER, KDF, Sealer, deriveKey, newSalt, view } from './crypto.ts';
import { StoreError } from './errors.ts';
import { KeyedLocks, type LockRequest } from './locks.ts';

/** Public description of a key (stored in clear). */
export type KeyMeta = Record<string, unknown> & {
  keyId: string;
  publicKey: string;
  threshold: number;
  parties: string[];
  party: number;
  owner: string;
  createdAt: number;
};

export interface StoredKey {
  keyId: string;
  meta: KeyMeta;
  /** The encoded key share (encodeKeyShare); stored encrypted. */
  share: Uint8Array;
}

/** A key whose DKG finished here but that not every party has confirmed yet (see putPendingKey). */
export interface PendingKeyInfo {
  keyId: string;
  /** The DKG run (session id) it came from: a commit or discard names it. */
  session: string;
  /** Unix milliseconds when it was stored. */
  since: number;
  meta: KeyMeta;
}

export interface PresignatureInput {
  /** Presignature id, lowercase hex. */
  id: string;
  signers: number[];
  /** Presignature.toRecord(); stored encrypted. */
  record: Uint8Array;
  /** The key share generation (hex) it was made with: refused when the key has moved on. */
  generation?: string;
  /** The nonce point R (hex) and the public values the combiner checks partial signatures with (stored in clear). */
  noncePoint?: string;
  publicValues?: Record<string, string>;
}

export interface PresignatureInfo {
  id: string;
  /** Sorted ascending. */
  signers: number[];
  noncePoint?: string;
  publicValues?: Record<string, string>;
}

/**
 * What this node knows against a peer. `banned`: a check whose failure may leak this node's
 * secrets failed on the peer's message (evidence kept); `suspended`: the peer aborted too many
 * sessions; both stop all protocol work with it. `blamed`: a node (or this coordinator) reported
 * a deviation by the peer; the coordinator no longer schedules it, the node still works with it.
 */
export interface PeerRecord {
  peer: string;
  kind: 'banned' | 'suspended' | 'blamed';
  /** Who decided: this node's peer id, or the reporting node's for a blame. */
  by: string;
  /** Unix milliseconds. */
  since: number;
  /** The failed check (an engine code such as OT_CHECK_FAILED, or ABORT_LIMIT). */
  check: string;
  reason: string;
  keyId?: string;
  protocol?: string;
  session?: string;
  round?: number;
  /** The offending message: its SHA-256, size, and a hex copy when it is at most 64 KiB. */
  evidence?: { sha256: string; bytes: number; copy?: string };
  /** The aborted sessions that led to a suspension. */
  aborts?: AbortEntry[];
}

export interface AbortEntry {
  at: number;
  code: string;
  session?: string;
}

const PEER_RANK: Record<PeerRecord['kind'], number> = { blamed: 0, suspended: 1, banned: 2 };

/** Idempotency/replay record of a request. Public: holds no secrets (a partial signature is not secret). */
export interface JournalEntry {
  method: string;
  requestHash: string;
  createdAt: number;
  presignatureId?: string;
  digest?: string;
  result?: unknown;
}

export interface OpenStoreOptions {
  /** Database directory (created with mode 0700 if missing). */
  path: string;
  /** Operator secret (DAN_NODE_SECRET); the at-rest key is scrypt(secret, salt). */
  secret: string | Uint8Array;
}

interface KdfRecord {
  version: 1;
  kdf: string;
  N: number;
  r: number;
  p: number;
  keyLength: number;
  salt: string;
  cipher: string;
}

interface IndexEntry {
  signers: number[];
  addedAt: number;
  noncePoint?: string;
  publicValues?: Record<string, string>;
}

interface PendingKeyRecord {
  session: string;
  since: number;
  meta: KeyMeta;
}

interface RetiredEntry {
  /**
   * restore: the node was restored from a backup holding this presignature (it may have been used since);
   * left: the node left the key's parties (a reshare without it).
   */
  reason: 'consumed' | 'discarded' | 'refresh' | 'restore' | 'left';
  at: number;
  requestId?: string;
}

const FORMAT_VERSION = 1;
/** Sibling folders of a secret rotation (rotate.ts): the re-encrypted copy being built, and the old database while they swap. */
export const ROTATE_NEW = '.rotate-new';
export const ROTATE_OLD = '.rotate-old';

const SUB = {
  meta: 'meta',
  keys: 'keys',
  shares: 'key-shares',
  presigs: 'presigs',
  index: 'presig-index',
  retired: 'presig-retired',
  journal: 'journal',
  pending: 'pending-shares',
  pendingKeys: 'pending-keys',
  pendingKeyShares: 'pending-key-shares',
  bound: 'presig-bound',
  peers: 'peers',
  aborts: 'peer-aborts',
} as const;

/** Sublevels whose values are sealed (their AAD is "<sublevel>/<key>"). */
const SEALED = new Set<string>([SUB.shares, SUB.presigs, SUB.pending, SUB.pendingKeyShares, SUB.bound]);
const BACKUP_KEY_INFO = 'dan-node/backup/v1';

export interface RestoreSummary {
  /** Entries written (presignatures and their index left out). */
  entries: number;
  keys: number;
  presignaturesDropped: number;
  /** Presignature ids that can never be added again (the backup's and one per dropped presignature). */
  tombstones: number;
  journal: number;
}

/** The KDF record (meta/kdf) when it is one this version reads; STORE_CORRUPT naming `where` otherwise. */
function parseKdf(kdf: unknown, where: string): KdfRecord {
  const k = (kdf ?? {}) as Partial<KdfRecord>;
  if (
    k.version !== FORMAT_VERSION || k.kdf !== KDF.name || k.N !== KDF.N || k.r !== KDF.r || k.p !== KDF.p ||
    k.keyLength !== KDF.keyLength || k.cipher !== CIPHER ||
    typeof k.salt !== 'string' || k.salt.length !== 2 * KDF.saltLength || !HEX.test(k.salt)
  ) {
    throw new StoreError('STORE_CORRUPT', `${where} has an unknown or damaged key-derivation record`, { location: 'meta/kdf' });
  }
  return k as KdfRecord;
}

/** A sublevel entry's key in the root database: "!sublevel!key" (abstract-level's prefix). */
const prefixed = (sublevel: string, key: string): string => `!${sublevel}!${key}`;

/** "!sublevel!key" -> [sublevel, key]. */
function splitPrefixed(key: string): [string, string] {
  const end = key.indexOf('!', 1);
  if (key[0] !== '!' || end < 0) throw new StoreError('STORE_CORRUPT', `entry ${JSON.stringify(key.slice(0, 64))} belongs to no sublevel`, { location: key.slice(0, 64) });
  return [key.slice(1, end), key.slice(end + 1)];
}

type Db = Level<string, unknown>;
function sub<V>(db: Db, name: string, valueEncoding: 'json' | 'view') {
  return db.sublevel<string, V>(name, { keyEncoding: 'utf8', valueEncoding });
}
type Sub<V> = ReturnType<typeof sub<V>>;

const KEY_ID = /^[\x21-\x2e\x30-\x7e]{1,256}$/; // printable ASCII, no '/', no space
const PRESIG_ID = /^(?:[0-9a-f]{2}){1,128}$/;
const HEX = /^(?:[0-9a-f]{2})*$/;

function checkKeyId(keyId: unknown): asserts keyId is string {
  if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) {
    throw new TypeError(`invalid key id ${JSON.stringify(keyId)}: 1-256 printable ASCII characters without '/' or spaces`);
  }
}

function checkPresigId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !PRESIG_ID.test(id)) throw new TypeError(`invalid presignature id ${JSON.stringify(id)}: lowercase hex, 1-128 bytes`);
}

function checkRequestId(requestId: unknown): asserts requestId is string {
  if (typeof requestId !== 'string' || requestId.length === 0 || requestId.length > 512) {
    throw new TypeError('invalid request id: a non-empty string of at most 512 characters');
  }
}

function checkBytes(b: unknown, what: string): asserts b is Uint8Array {
  if (!(b instanceof Uint8Array) || b.length === 0) throw new TypeError(`${what} must be a non-empty Uint8Array`);
}

/** Distinct non-negative integers, returned sorted ascending. */
function canonicalSigners(signers: unknown): number[] {
  if (!Array.isArray(signers) || signers.length === 0) throw new TypeError('signers must be a non-empty array of party indices');
  const out = [...signers].sort((a, b) => a - b);
  out.forEach((s, i) => {
    if (!Number.isSafeInteger(s) || s < 0) throw new TypeError(`invalid signer ${JSON.stringify(s)}`);
    if (i > 0 && out[i - 1] === s) throw new TypeError(`duplicate signer ${s}`);
  });
  return out;
}

function checkJournalEntry(e: unknown): asserts e is JournalEntry {
  const j = e as Partial<JournalEntry> | null;
  if (
    typeof j !== 'object' || j === null ||
    typeof j.method !== 'string' || j.method.length === 0 ||
    typeof j.requestHash !== 'string' || j.requestHash.length === 0 ||
    typeof j.createdAt !== 'number' || !Number.isFinite(j.createdAt) ||
    (j.presignatureId !== undefined && typeof j.presignatureId !== 'string') ||
    (j.digest !== undefined && typeof j.digest !== 'string')
  ) {
    throw new TypeError('invalid journal entry: needs method, requestHash (non-empty strings) and createdAt (number)');
  }
}

function checkPeer(peer: unknown): string {
  if (typeof peer !== 'string' || !KEY_ID.test(peer)) throw new TypeError(`invalid peer id ${JSON.stringify(peer)}`);
  return peer;
}

/** A pending share record: generation length (1 byte), generation bytes, share. */
function concatPending(generation: string, share: Uint8Array): Uint8Array {
  const g = fromHex(generation);
  const out = new Uint8Array(1 + g.length + share.length);
  out[0] = g.length;
  out.set(g, 1);
  out.set(share, 1 + g.length);
  return out;
}

function splitPending(bytes: Uint8Array): { generation: string; share: Uint8Array } {
  const n = bytes[0];
  return { generation: toHex(bytes.subarray(1, 1 + n)), share: bytes.slice(1 + n) };
}

const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const sameSigners = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const levelCode = (e: unknown): string | undefined => (e as { code?: string } | null)?.code;
const causeCode = (e: unknown): string | undefined => levelCode((e as { cause?: unknown } | null)?.cause);

/** Maps level's decode/corruption errors to STORE_CORRUPT; rethrows anything else as is. */
function mapLevelError(e: unknown, context: Record<string, unknown>): never {
  if (e instanceof StoreError) throw e;
  const codes = [levelCode(e), causeCode(e)];
  if (codes.includes('LEVEL_DECODE_ERROR') || codes.includes('LEVEL_CORRUPTION')) {
    throw new StoreError('STORE_CORRUPT', `store entry does not decode (${(e as Error).message})`, context, { cause: e });
  }
  throw e;
}

/** chmod 0600 every regular file in the database directory (files may vanish during compaction). */
function restrictFiles(path: string): void {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    try {
      chmodSync(`${path}/${entry.name}`, 0o600);
    } catch (e) {
      if (levelCode(e) !== 'ENOENT') throw e;
    }
  }
}

export class NodeStore {
  readonly path: string;
  readonly #db: Db;
  readonly #sealer: Sealer;
  readonly #locks = new KeyedLocks();
  readonly #inflight = new Set<Promise<unknown>>();
  #closed = false;

  readonly #keys: Sub<KeyMeta>;
  readonly #shares: Sub<Uint8Array>;
  readonly #presigs: Sub<Uint8Array>;
  readonly #index: Sub<IndexEntry>;
  readonly #retired: Sub<RetiredEntry>;
  readonly #journal: Sub<JournalEntry>;
  readonly #pending: Sub<Uint8Array>;
  readonly #pendingKeys: Sub<PendingKeyRecord>;
  readonly #pendingKeyShares: Sub<Uint8Array>;
  readonly #bound: Sub<Uint8Array>;
  readonly #peers: Sub<PeerRecord>;
  readonly #aborts: Sub<AbortEntry[]>;

  private constructor(db: Db, sealer: Sealer, path: string) {
    this.#db = db;
    this.#sealer = sealer;
    this.path = path;
    this.#keys = sub<KeyMeta>(db, SUB.keys, 'json');
    this.#shares = sub<Uint8Array>(db, SUB.shares, 'view');
    this.#presigs = sub<Uint8Array>(db, SUB.presigs, 'view');
    this.#index = sub<IndexEntry>(db, SUB.index, 'json');
    this.#retired = sub<RetiredEntry>(db, SUB.retired, 'json');
    this.#journal = sub<JournalEntry>(db, SUB.journal, 'json');
    this.#pending = sub<Uint8Array>(db, SUB.pending, 'view');
    this.#pendingKeys = sub<PendingKeyRecord>(db, SUB.pendingKeys, 'json');
    this.#pendingKeyShares = sub<Uint8Array>(db, SUB.pendingKeyShares, 'view');
    this.#bound = sub<Uint8Array>(db, SUB.bound, 'view');
    this.#peers = sub<PeerRecord>(db, SUB.peers, 'json');
    this.#aborts = sub<AbortEntry[]>(db, SUB.aborts, 'json');
  }

  /**
   * Opens (or creates) the database at `path`. Errors: STORE_LOCKED (already open elsewhere),
   * STORE_WRONG_SECRET (secret does not match the database), STORE_CORRUPT (unreadable layout).
   */
  static async open({ path, secret }: OpenStoreOptions): Promise<NodeStore> {
    if ((typeof secret !== 'string' && !(secret instanceof Uint8Array)) || secret.length === 0) {
      throw new StoreError('STORE_WRONG_SECRET', 'the store secret is empty: set DAN_NODE_SECRET', { path });
    }
    if (existsSync(`${path}${ROTATE_OLD}`)) {
      throw new StoreError('STORE_CORRUPT', `a secret rotation of ${path} was interrupted: run \`dan-node secret rotate\` again to finish it`, { path });
    }
    mkdirSync(path, { recursive: true, mode: 0o700 });
    chmodSync(path, 0o700);
    const db: Db = new Level<string, unknown>(path, { keyEncoding: 'utf8', valueEncoding: 'json' });
    try {
      await db.open();
    } catch (e) {
      if (levelCode(e) === 'LEVEL_LOCKED' || causeCode(e) === 'LEVEL_LOCKED') {
        throw new StoreError(
          'STORE_LOCKED',
          `database ${path} is already open (by another process, or another handle in this one); one process owns one database`,
          { path },
          { cause: e },
        );
      }
      mapLevelError(e, { path });
    }
    try {
      restrictFiles(path);
      const sealer = await NodeStore.#unlock(db, path, secret);
      return new NodeStore(db, sealer, path);
    } catch (e) {
      await db.close().catch(() => undefined);
      throw e;
    }
  }

  /** Reads or creates the KDF record and check value; returns the sealer for this secret. */
  static async #unlock(db: Db, path: string, secret: string | Uint8Array): Promise<Sealer> {
    const meta = sub<unknown>(db, SUB.meta, 'json');
    let kdf: unknown, check: unknown;
    try {
      [kdf, check] = await meta.getMany(['kdf', 'check']);
    } catch (e) {
      mapLevelError(e, { path, location: 'meta' });
    }
    if (kdf === undefined) {
      // New database (or a crash before the first batch): only valid when nothing else is stored.
      const [any] = await db.keys({ limit: 1 }).all();
      if (check !== undefined || any !== undefined) {
        throw new StoreError('STORE_CORRUPT', `database ${path} has entries but no key-derivation record`, { path });
      }
      const salt = newSalt();
      const sealer = new Sealer(await deriveKey(secret, salt));
      const record: KdfRecord = { version: FORMAT_VERSION, kdf: KDF.name, N: KDF.N, r: KDF.r, p: KDF.p, keyLength: KDF.keyLength, salt: toHex(salt), cipher: CIPHER };
      await db.batch<string, unknown>(
        [
          { type: 'put', sublevel: meta, key: 'kdf', value: record },
          { type: 'put', sublevel: meta, key: 'check', value: toHex(sealer.makeCheck()) },
        ],
        { sync: true },
      );
      return sealer;
    }
    const k = parseKdf(kdf, `database ${path}`);
    if (typeof check !== 'string' || !HEX.test(check)) {
      throw new StoreError('STORE_CORRUPT', `database ${path} has no valid check value`, { path, location: 'meta/check' });
    }
    const sealer = new Sealer(await deriveKey(secret, fromHex(k.salt)));
    if (!sealer.verifyCheck(fromHex(check))) {
      sealer.wipe();
      throw new StoreError(
        'STORE_WRONG_SECRET',
        `the secret does not unlock database ${path}: check DAN_NODE_SECRET (it must be the value the database was created with)`,
        { path },
      );
    }
    return sealer;
  }

  /** Waits for operations in progress, closes the database, wipes the key. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#inflight]);
    await this.#db.close();
    this.#sealer.wipe();
    try {
      restrictFiles(this.path);
    } catch {
      // best effort: the directory is 0700 anyway
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  // ---- keys ---------------------------------------------------------------------------------

  /** Stores a new key (meta in clear, share encrypted), fsynced. STORE_CONFLICT if the id exists. */
  putKey(k: StoredKey): Promise<void> {
    return this.#op([{ name: `key:${k?.keyId}`, mode: 'exclusive' }], async () => {
      checkKeyId(k.keyId);
      checkBytes(k.share, 'share');
      if (k.meta?.keyId !== k.keyId) throw new TypeError('meta.keyId must equal keyId');
      const [meta, share, pending] = await Promise.all([this.#get(this.#keys, k.keyId), this.#get(this.#shares, k.keyId), this.#get(this.#pendingKeys, k.keyId)]);
      if (meta !== undefined || share !== undefined) {
        throw new StoreError('STORE_CONFLICT', `key ${k.keyId} already exists; keys are never overwritten (use replaceShare for a refresh)`, { keyId: k.keyId });
      }
      if (pending !== undefined) throw new StoreError('STORE_CONFLICT', `key ${k.keyId} is pending its confirmation (commit or discard it first)`, { keyId: k.keyId, pending: true });
      await this.#db.batch<string, unknown>(
        [
          { type: 'put', sublevel: this.#keys, key: k.keyId, value: { ...k.meta } },
          { type: 'put', sublevel: this.#shares, key: k.keyId, value: this.#sealer.seal(`${SUB.shares}/${k.keyId}`, k.share) },
        ],
        { sync: true },
      );
    });
  }

  /** The key with its decrypted share, or undefined. STORE_CORRUPT if the share does not authenticate. */
  getKey(keyId: string): Promise<StoredKey | undefined> {
    return this.#op([{ name: `key:${keyId}`, mode: 'shared' }], async () => {
      checkKeyId(keyId);
      const [meta, sealed] = await Promise.all([this.#get(this.#keys, keyId), this.#get(this.#shares, keyId)]);
      if (meta === undefined && sealed === undefined) return undefined;
      if (meta?.derivation !== undefined && sealed === undefined) {
        throw new StoreError('STORE_CONFLICT', `key ${keyId} is derived from master key ${String((meta.derivation as { master?: unknown }).master)}; it has no share of its own`, { keyId, derived: true });
      }
      if (meta === undefined || sealed === undefined) {
        throw new StoreError('STORE_CORRUPT', `key ${keyId} has ${meta === undefined ? 'a share but no meta' : 'meta but no share'}`, { keyId });
      }
      this.#checkMeta(keyId, meta);
      return { keyId, meta, share: this.#sealer.open(`${SUB.shares}/${keyId}`, sealed) };
    });
  }

  /** The public meta of a key (full or derived), or undefined. */
  getKeyMeta(keyId: string): Promise<KeyMeta | undefined> {
    return this.#op([{ name: `key:${keyId}`, mode: 'shared' }], async () => {
      checkKeyId(keyId);
      const meta = await this.#get(this.#keys, keyId);
      if (meta !== undefined) this.#checkMeta(keyId, meta);
      return meta;
    });
  }

  /**
   * Stores a derived key: its public meta only (meta.derivation names the master key, whose share
   * serves it), fsynced, and returns the meta as stored. Idempotent: the same key again (same public
   * key and master) returns the record stored first. STORE_NOT_FOUND when the master is not a key
   * here; STORE_CONFLICT when the id is taken by another key.
   */
  putDerivedKey(meta: KeyMeta & { derivation: { master: string } }): Promise<KeyMeta> {
    const master = meta?.derivation?.master;
    return this.#op(
      [
        { name: `key:${master}`, mode: 'shared' },
        { name: `key:${meta?.keyId}`, mode: 'exclusive' },
      ],
      async () => {
        checkKeyId(meta.keyId);
        checkKeyId(master);
        // A key's meta and share are written together (putKey): the master's meta stands for both.
        const [masterMeta, existing, pending] = await Promise.all([this.#get(this.#keys, master), this.#get(this.#keys, meta.keyId), this.#get(this.#pendingKeys, meta.keyId)]);
        if (masterMeta === undefined || masterMeta.derivation !== undefined) throw new StoreError('STORE_NOT_FOUND', `master key ${master} does not exist here`, { keyId: meta.keyId, master });
        if (existing !== undefined) {
          if (existing.publicKey === meta.publicKey && (existing.derivation as { master?: unknown } | undefined)?.master === master) return existing;
          throw new StoreError('STORE_CONFLICT', `key ${meta.keyId} already exists`, { keyId: meta.keyId });
        }
        if (pending !== undefined) throw new StoreError('STORE_CONFLICT', `key ${meta.keyId} is pending its confirmation`, { keyId: meta.keyId, pending: true });
        await this.#db.batch<string, unknown>([{ type: 'put', sublevel: this.#keys, key: meta.keyId, value: { ...meta } }], { sync: true });
        return meta;
      },
    );
  }

  /**
   * Up to `limit` records of keys derived from `master`, in key-id order after `after` (a cursor:
   * the last key id of the previous page), and whether more may follow.
   */
  listDerivedKeys(master: string, after: string | undefined, limit: number): Promise<{ records: KeyMeta[]; more: boolean }> {
    return this.#op([], async () => {
      checkKeyId(master);
      const records: KeyMeta[] = [];
      try {
        for await (const [keyId, meta] of this.#keys.iterator(after === undefined ? {} : { gt: after })) {
          if ((meta.derivation as { master?: unknown } | undefined)?.master !== master) continue;
          this.#checkMeta(keyId, meta);
          if (records.length === limit) return { records, more: true };
          records.push(meta);
        }
      } catch (e) {
        mapLevelError(e, { location: SUB.keys });
      }
      return { records, more: false };
    });
  }

  /**
   * Stores records of keys derived from `master` in one fsynced batch (a node that joins the
   * master by a reshare takes its derived keys). The master must be a key or pending here; a
   * record whose id is taken already is left as it is. Returns how many were added.
   */
  putDerivedKeys(master: string, records: KeyMeta[]): Promise<number> {
    return this.#op([{ name: `key:${master}`, mode: 'shared' }], async () => {
      checkKeyId(master);
      if ((await this.#get(this.#keys, master)) === undefined && (await this.#get(this.#pendingKeys, master)) === undefined) {
        throw new StoreError('STORE_NOT_FOUND', `master key ${master} is neither a key nor pending here`, { master });
      }
      const fresh: KeyMeta[] = [];
      for (const r of records) {
        checkKeyId(r.keyId);
        if ((r.derivation as { master?: unknown } | undefined)?.master !== master) throw new TypeError(`record ${r.keyId} is not derived from ${master}`);
        if ((await this.#get(this.#keys, r.keyId)) === undefined) fresh.push(r);
      }
      if (fresh.length) await this.#db.batch<string, unknown>(fresh.map((r) => ({ type: 'put' as const, sublevel: this.#keys, key: r.keyId, value: { ...r } })), { sync: true });
      return fresh.length;
    });
  }

  /** Public meta of every key, in key-id order. */
  listKeys(): Promise<KeyMeta[]> {
    return this.#op([], async () => {
      const out: KeyMeta[] = [];
      try {
        for await (const [keyId, meta] of this.#keys.iterator()) {
          this.#checkMeta(keyId, meta);
          out.push(meta);
        }
      } catch (e) {
        mapLevelError(e, { location: SUB.keys });
      }
      return out;
    });
  }

  /**
   * Replace a key's public meta with `update(old)` (keyId, publicKey, threshold, parties and party
   * cannot change), fsynced. STORE_NOT_FOUND if the key does not exist.
   */
  updateKeyMeta(keyId: string, update: (meta: KeyMeta) => KeyMeta): Promise<KeyMeta> {
    return this.#op([{ name: `key:${keyId}`, mode: 'exclusive' }], async () => {
      checkKeyId(keyId);
      const old = await this.#get(this.#keys, keyId);
      if (old === undefined) throw new StoreError('STORE_NOT_FOUND', `key ${keyId} does not exist`, { keyId });
      this.#checkMeta(keyId, old);
      const meta = update({ ...old });
      for (const field of ['keyId', 'publicKey', 'threshold', 'party'] as const) {
        if (meta[field] !== old[field]) throw new TypeError(`updateKeyMeta cannot change ${field}`);
      }
      if (meta.parties.join() !== old.parties.join()) throw new TypeError('updateKeyMeta cannot change parties');
      await this.#db.batch<string, unknown>([{ type: 'put', sublevel: this.#keys, key: keyId, value: meta }], { sync: true });
      return meta;
    });
  }

  /**
   * Refresh: in one fsynced batch, replaces the encrypted share, merges `meta` into the stored meta
   * (keyId cannot change), deletes every presignature of the key (tombstoned as 'refresh') and any
   * pending share. STORE_NOT_FOUND if the key does not exist.
   */
  replaceShare(keyId: string, share: Uint8Array, meta?: Partial<KeyMeta>): Promise<void> {
    return this.#op([{ name: `key:${keyId}`, mode: 'exclusive' }], () => this.#replaceShare(keyId, share, meta));
  }

  /** Keeps the share of a refresh run until every party agrees to switch (see commitPendingShare). Fsynced. */
  putPendingShare(keyId: string, generation: string, share: Uint8Array): Promise<void> {
    return this.#op([{ name: `key:${keyId}`, mode: 'exclusive' }], async () => {
      checkKeyId(keyId);
      checkBytes(share, 'share');
      if (!HEX.test(generation) || generation.length === 0) throw new TypeError('generation must be lowercase hex');
      if ((await this.#get(this.#keys, keyId)) === undefined) throw new StoreError('STORE_NOT_FOUND', `key ${keyId} does not exist`, { keyId });
      const sealed = this.#sealer.seal(`${SUB.pending}/${keyId}`, concatPending(generation, share));
      await this.#db.batch<string, unknown>([{ type: 'put', sublevel: this.#pending, key: keyId, value: sealed }], { sync: true });
    });
  }

  /** The generation of the key's pending share, if there is one (the share stays sealed). */
  pendingGeneration(keyId: string): Promise<string | undefined> {
    return this.#op([{ name: `key:${keyId}`, mode: 'shared' }], async () => {
      checkKeyId(keyId);
      const sealed = await this.#get(this.#pending, keyId);
      return sealed === undefined ? undefined : splitPending(this.#sealer.open(`${SUB.pending}/${keyId}`, sealed)).generation;
    });
  }

  /**
   * The switch to a refreshed share: if the pending share is of `generation`, it replaces the
   * share exactly as replaceShare does (same batch: presignatures invalidated, meta merged).
   * STORE_NOT_FOUND when there is no pending share of that generation (nothing written).
   */
  commitPendingShare(keyId: string, generation: string, meta?: Partial<KeyMeta>): Promise<void> {
    return this.#op([{ name: `key:${keyId}`, mode: 'exclusive' }], async () => {
      checkKeyId(keyId);
      const sealed = await this.#get(this.#pending, keyId);
      const pending = sealed === undefined ? undefined : splitPending(this.#sealer.open(`${SUB.pending}/${keyId}`, sealed));
      if (pending?.generation !== generation) {
        throw new StoreError('STORE_NOT_FOUND', `key ${keyId} has no pending share of generation ${generation.slice(0, 16)}`, { keyId, generation, pending: pending?.generation });
      }
      await this.#replaceShare(keyId, pending.share, meta);
    });
  }

  async #replaceShare(keyId: string, share: Uint8Array, meta?: Partial<KeyMeta>): Promise<void> {
    checkKeyId(keyId);
    checkBytes(share, 'share');
    if (meta?.keyId !== undefined && meta.keyId !== keyId) throw new TypeError('replaceShare cannot change keyId');
    const old = await this.#get(this.#keys, keyId);
    if (old === undefined) throw new StoreError('STORE_NOT_FOUND', `key ${keyId} does not exist`, { keyId });
    this.#checkMeta(keyId, old);
    await this.#db.batch<string, unknown>(
      [
        { type: 'put', sublevel: this.#shares, key: keyId, value: this.#sealer.seal(`${SUB.shares}/${keyId}`, share) },
        { type: 'put', sublevel: this.#keys, key: keyId, value: { ...old, ...meta, keyId } },
        { type: 'del', sublevel: this.#pending, key: keyId },
        ...(await this.#retireEveryPresignature(keyId, 'refresh')),
      ],
      { sync: true },
    );
  }

  /** The batch operations that delete every presignature of a key (tombstoned with `reason`) and its bindings. */
  async #retireEveryPresignature(keyId: string, reason: RetiredEntry['reason']) {
    // Index and records are kept in step; scan both so a stray entry cannot survive.
    const ids = new Set([...(await this.#scanIds(this.#index, keyId)), ...(await this.#scanIds(this.#presigs, keyId))]);
    const bound = await this.#scanIds(this.#bound, keyId);
    const at = Date.now();
    return [
      ...[...ids].flatMap((k) => [
        { type: 'del' as const, sublevel: this.#presigs, key: k },
        { type: 'del' as const, sublevel: this.#index, key: k },
        { type: 'put' as const, sublevel: this.#retired, key: k, value: { reason, at } satisfies RetiredEntry },
      ]),
      ...bound.map((k) => ({ type: 'del' as const, sublevel: this.#bound, key: k })),
    ];
  }

  /**
   * This node leaves the key's parties (a reshare to a set without it): in one fsynced batch its
   * share, record, pending share and every presignature go (tombstoned as 'left'). Derived keys'
   * records stay: without their master they serve nothing. False when the key is not here.
   */
  removeKey(keyId: string): Promise<boolean> {
    return this.#op([{ name: `key:${keyId}`, mode: 'exclusive' }], async () => {
      checkKeyId(keyId);
      if ((await this.#get(this.#keys, keyId)) === undefined) return false;
      await this.#db.batch<string, unknown>(
        [
          { type: 'del', sublevel: this.#shares, key: keyId },
          { type: 'del', sublevel: this.#keys, key: keyId },
          { type: 'del', sublevel: this.#pending, key: keyId },
          ...(await this.#retireEveryPresignature(keyId, 'left')),
        ],
        { sync: true },
      );
      return true;
    });
  }

  // ---- pending keys (a DKG's result before every party confirmed it) --------------------------

  /**
   * Stores the result of DKG run `session` pending (meta in clear, share encrypted), fsynced. It is
   * not a key yet: getKey, listKeys and the presignature pool do not see it until commitPendingKey.
   * STORE_CONFLICT (nothing written) when the id is already a key or already pending (any run):
   * an earlier run's pending key must be committed or discarded first.
   */
  putPendingKey(k: StoredKey, session: string): Promise<void> {
    return this.#op([{ name: `key:${k?.keyId}`, mode: 'exclusive' }], async () => {
      checkKeyId(k.keyId);
      checkBytes(k.share, 'share');
      if (k.meta?.keyId !== k.keyId) throw new TypeError('meta.keyId must equal keyId');
      if (typeof session !== 'string' || session.length === 0 || session.length > 256) throw new TypeError('session must be a non-empty string');
      const [meta, pending] = await Promise.all([this.#get(this.#keys, k.keyId), this.#get(this.#pendingKeys, k.keyId)]);
      if (meta !== undefined) throw new StoreError('STORE_CONFLICT', `key ${k.keyId} already exists`, { keyId: k.keyId });
      if (pending !== undefined) {
        throw new StoreError('STORE_CONFLICT', `key ${k.keyId} is already pending (run ${pending.session.slice(0, 16)}); commit or discard it first`, { keyId: k.keyId, session: pending.session });
      }
      const record: PendingKeyRecord = { session, since: Date.now(), meta: { ...k.meta } };
      await this.#db.batch<string, unknown>(
        [
          { type: 'put', sublevel: this.#pendingKeys, key: k.keyId, value: record },
          { type: 'put', sublevel: this.#pendingKeyShares, key: k.keyId, value: this.#sealer.seal(`${SUB.pendingKeyShares}/${k.keyId}`, k.share) },
        ],
        { sync: true },
      );
    });
  }

  /** The pending key of this id (its share stays sealed), or undefined. */
  getPendingKey(keyId: string): Promise<PendingKeyInfo | undefined> {
    return this.#op([{ name: `key:${keyId}`, mode: 'shared' }], async () => {
      checkKeyId(keyId);
      const record = await this.#get(this.#pendingKeys, keyId);
      return record === undefined ? undefined : this.#pendingInfo(keyId, record);
    });
  }

  /** Every pending key (shares stay sealed), in key-id order. */
  listPendingKeys(): Promise<PendingKeyInfo[]> {
    return this.#op([], async () => {
      const out: PendingKeyInfo[] = [];
      try {
        for await (const [keyId, record] of this.#pendingKeys.iterator()) out.push(this.#pendingInfo(keyId, record));
      } catch (e) {
        mapLevelError(e, { location: SUB.pendingKeys });
      }
      return out;
    });
  }

  /**
   * Makes the pending key of run `session` a key: in one fsynced batch its meta (merged with
   * `meta`; keyId cannot change) and share move to the keys and the pending entries go.
   * STORE_NOT_FOUND (nothing written) when no key of that run is pending (absent, another run, or
   * committed already: check getKey).
   */
  commitPendingKey(keyId: string, session: string, meta?: Partial<KeyMeta>): Promise<KeyMeta> {
    return this.#op([{ name: `key:${keyId}`, mode: 'exclusive' }], async () => {
      checkKeyId(keyId);
      if (meta?.keyId !== undefined && meta.keyId !== keyId) throw new TypeError('commitPendingKey cannot change keyId');
      const [record, sealed] = await Promise.all([this.#get(this.#pendingKeys, keyId), this.#get(this.#pendingKeyShares, keyId)]);
      if (record === undefined || record.session !== session) {
        throw new StoreError('STORE_NOT_FOUND', `key ${keyId} has no pending run ${String(session).slice(0, 16)}`, { keyId, session, pending: record?.session });
      }
      if (sealed === undefined) throw new StoreError('STORE_CORRUPT', `pending key ${keyId} has meta but no share`, { keyId, location: `${SUB.pendingKeyShares}/${keyId}` });
      const info = this.#pendingInfo(keyId, record);
      const share = this.#sealer.open(`${SUB.pendingKeyShares}/${keyId}`, sealed);
      const committed: KeyMeta = { ...info.meta, ...meta, keyId };
      await this.#db.batch<string, unknown>(
        [
          { type: 'put', sublevel: this.#keys, key: keyId, value: committed },
          { type: 'put', sublevel: this.#shares, key: keyId, value: this.#sealer.seal(`${SUB.shares}/${keyId}`, share) },
          { type: 'del', sublevel: this.#pendingKeys, key: keyId },
          { type: 'del', sublevel: this.#pendingKeyShares, key: keyId },
        ],
        { sync: true },
      );
      share.fill(0);
      return committed;
    });
  }

  /** Deletes the pending key of run `session`, fsynced. False (nothing written) when no key of that run is pending. */
  discardPendingKey(keyId: string, session: string): Promise<boolean> {
    return this.#op([{ name: `key:${keyId}`, mode: 'exclusive' }], async () => {
      checkKeyId(keyId);
      const record = await this.#get(this.#pendingKeys, keyId);
      if (record === undefined || record.session !== session) return false;
      await this.#db.batch<string, unknown>(
        [
          { type: 'del', sublevel: this.#pendingKeys, key: keyId },
          { type: 'del', sublevel: this.#pendingKeyShares, key: keyId },
        ],
        { sync: true },
      );
      return true;
    });
  }

  #pendingInfo(keyId: string, record: PendingKeyRecord): PendingKeyInfo {
    if (typeof record !== 'object' || record === null || typeof record.session !== 'string' || typeof record.since !== 'number') {
      throw new StoreError('STORE_CORRUPT', `pending key ${keyId} is malformed`, { keyId, location: `${SUB.pendingKeys}/${keyId}` });
    }
    this.#checkMeta(keyId, record.meta);
    return { keyId, session: record.session, since: record.since, meta: { ...record.meta } };
  }

  // ---- presignature pool ----------------------------------------------------------------------

  /**
   * Adds a presignature (record encrypted, signers in a clear index). STORE_NOT_FOUND if the key
   * does not exist; STORE_CONFLICT if the id is in the pool or was ever consumed/discarded/refreshed away.
   */
  addPresignature(keyId: string, p: PresignatureInput): Promise<void> {
    const loc = `${keyId}/${p?.id}`;
    return this.#op(
      [
        { name: `key:${keyId}`, mode: 'shared' },
        { name: `presig:${loc}`, mode: 'exclusive' },
      ],
      async () => {
        checkKeyId(keyId);
        checkPresigId(p.id);
        checkBytes(p.record, 'presignature record');
        const signers = canonicalSigners(p.signers);
        const meta = await this.#get(this.#keys, keyId);
        if (meta === undefined) throw new StoreError('STORE_NOT_FOUND', `key ${keyId} does not exist`, { keyId, presignatureId: p.id });
        if (p.generation !== undefined && meta.generation !== undefined && meta.generation !== p.generation) {
          throw new StoreError('STORE_CONFLICT', `presignature ${p.id} was made with another generation of key ${keyId} (refreshed meanwhile)`, { keyId, presignatureId: p.id, reason: 'generation' });
        }
        const [record, index, retired] = await Promise.all([this.#get(this.#presigs, loc), this.#get(this.#index, loc), this.#get(this.#retired, loc)]);
        if (record !== undefined || index !== undefined) {
          throw new StoreError('STORE_CONFLICT', `presignature ${p.id} of key ${keyId} is already in the pool`, { keyId, presignatureId: p.id });
        }
        if (retired !== undefined) {
          throw new StoreError('STORE_CONFLICT', `presignature ${p.id} of key ${keyId} was already ${retired.reason === 'refresh' ? 'invalidated by a refresh' : retired.reason}; it can never be added again`, {
            keyId,
            presignatureId: p.id,
            reason: retired.reason,
          });
        }
        // No fsync: losing a fresh presignature in a machine crash only shrinks the pool (the
        // coordinator then picks another); the next synced write flushes it anyway (one log).
        await this.#db.batch<string, unknown>(
          [
            { type: 'put', sublevel: this.#presigs, key: loc, value: this.#sealer.seal(`${SUB.presigs}/${loc}`, p.record) },
            { type: 'put', sublevel: this.#index, key: loc, value: { signers, addedAt: Date.now(), ...(p.noncePoint ? { noncePoint: p.noncePoint } : {}), ...(p.publicValues ? { publicValues: p.publicValues } : {}) } satisfies IndexEntry },
          ],
          { sync: false },
        );
      },
    );
  }

  /** Ids and signer sets of the key's pooled presignatures (records are not decrypted), in id order. */
  listPresignatures(keyId: string): Promise<PresignatureInfo[]> {
    return this.#op([], async () => {
      checkKeyId(keyId);
      const out: PresignatureInfo[] = [];
      try {
        for await (const [loc, entry] of this.#index.iterator(NodeStore.#range(keyId))) {
          if (!Array.isArray(entry?.signers)) throw new StoreError('STORE_CORRUPT', `presignature index entry ${loc} is malformed`, { location: `${SUB.index}/${loc}` });
          out.push({
            id: loc.slice(keyId.length + 1),
            signers: [...entry.signers],
            ...(entry.noncePoint ? { noncePoint: entry.noncePoint } : {}),
            ...(entry.publicValues ? { publicValues: entry.publicValues } : {}),
          });
        }
      } catch (e) {
        mapLevelError(e, { keyId, location: SUB.index });
      }
      return out;
    });
  }

  /** Number of pooled presignatures of the key, optionally only those for exactly this signer set. */
  async countPresignatures(keyId: string, signers?: number[]): Promise<number> {
    const want = signers === undefined ? undefined : canonicalSigners(signers);
    const all = await this.listPresignatures(keyId);
    return want === undefined ? all.length : all.filter((p) => sameSigners(p.signers, want)).length;
  }

  /**
   * Takes a presignature out of the pool for signing. In one fsynced batch: deletes the record and
   * its index entry, tombstones the id, and writes the journal entry for `requestId` (its
   * presignatureId defaults to `id`). Returns the decrypted record, or undefined (nothing written)
   * when the presignature is not in the pool (already consumed or never existed).
   * STORE_CONFLICT (nothing written) when `requestId` already has a journal entry: look it up first.
   * STORE_CORRUPT (nothing written) when the record does not authenticate.
   * Concurrent calls for the same id are serialised: at most one gets the record.
   */
  consumePresignature(keyId: string, id: string, journal: { requestId: string; entry: JournalEntry }): Promise<Uint8Array | undefined> {
    return this.consumeAndUse(keyId, id, journal, (record) => ({ record, result: undefined })).then((r) => r?.record);
  }

  /**
   * Like consumePresignature, and in the same locked step: `use(record)` computes the result
   * (e.g. the partial signature) in memory; the result is journalled with the consumption, and
   * `marker` (a request-level journal entry: same request hash and digest = fine, another request
   * hash or digest = STORE_CONFLICT) is
   * written too, all in the one fsynced batch. The result is only returned once that batch is
   * durable. Undefined (nothing written) when the presignature is absent.
   */
  consumeAndUse<R>(
    keyId: string,
    id: string,
    journal: { requestId: string; entry: JournalEntry },
    use: (record: Uint8Array) => { record: Uint8Array; result: R },
    marker?: { requestId: string; entry: JournalEntry },
    alsoWrite: () => BatchOperation<Db, string, unknown>[] = () => [],
  ): Promise<{ record: Uint8Array; result: R } | undefined> {
    const loc = `${keyId}/${id}`;
    return this.#op(
      [
        { name: `key:${keyId}`, mode: 'shared' },
        { name: `presig:${loc}`, mode: 'exclusive' },
        { name: `journal:${journal?.requestId}`, mode: 'exclusive' },
        ...(marker ? [{ name: `journal:${marker.requestId}`, mode: 'exclusive' as const }] : []),
      ],
      async () => {
        if (marker) {
          checkRequestId(marker.requestId);
          checkJournalEntry(marker.entry);
        }
        checkKeyId(keyId);
        checkPresigId(id);
        checkRequestId(journal.requestId);
        checkJournalEntry(journal.entry);
        if (journal.entry.presignatureId !== undefined && journal.entry.presignatureId !== id) {
          throw new TypeError(`journal entry names presignature ${journal.entry.presignatureId}, not ${id}`);
        }
        // The three reads are independent (all under the locks above): one round trip, not three.
        const [prior, sealed, existing] = await Promise.all([
          marker ? this.#get(this.#journal, marker.requestId) : undefined,
          this.#get(this.#presigs, loc),
          this.#get(this.#journal, journal.requestId),
        ]);
        if (marker && prior !== undefined && (prior.requestHash !== marker.entry.requestHash || prior.digest !== marker.entry.digest)) {
          const what = prior.requestHash !== marker.entry.requestHash ? 'request hash' : 'digest';
          throw new StoreError('STORE_CONFLICT', `request ${marker.requestId} is already journalled with a different ${what}`, { requestId: marker.requestId, differs: what });
        }
        if (sealed === undefined) return undefined;
        if (existing !== undefined) {
          throw new StoreError('STORE_CONFLICT', `request ${journal.requestId} is already in the journal; a request consumes at most one presignature`, {
            requestId: journal.requestId,
            keyId,
            presignatureId: id,
          });
        }
        const used = use(this.#sealer.open(`${SUB.presigs}/${loc}`, sealed));
        const entry: JournalEntry = { ...journal.entry, presignatureId: id, ...(used.result === undefined ? {} : { result: used.result }) };
        await this.#db.batch<string, unknown>(
          [
            { type: 'del', sublevel: this.#presigs, key: loc },
            { type: 'del', sublevel: this.#index, key: loc },
            { type: 'put', sublevel: this.#retired, key: loc, value: { reason: 'consumed', at: Date.now(), requestId: journal.requestId } satisfies RetiredEntry },
            { type: 'put', sublevel: this.#journal, key: journal.requestId, value: entry },
            ...(marker ? [{ type: 'put' as const, sublevel: this.#journal, key: marker.requestId, value: marker.entry }] : []),
            ...alsoWrite(),
          ],
          { sync: true },
        );
        return used;
      },
    );
  }

  /**
   * Binds a presignature to one use (a derived-key signature; the partial comes later, from
   * useBound): like consumeAndUse, the record leaves the pool (tombstoned, never to return) and
   * `journal` (the binding, with `use`'s result: what may be revealed once bound) and `marker` are
   * written in one fsynced batch; the record itself is kept, sealed, until useBound. Undefined
   * (nothing written) when the presignature is not in the pool.
   */
  bindPresignature<R>(
    keyId: string,
    id: string,
    journal: { requestId: string; entry: JournalEntry },
    use: (record: Uint8Array) => R,
    marker?: { requestId: string; entry: JournalEntry },
  ): Promise<R | undefined> {
    const loc = `${keyId}/${id}`;
    let kept: Uint8Array | undefined;
    return this.consumeAndUse(
      keyId,
      id,
      journal,
      (record) => {
        kept = record;
        return { record, result: use(record) };
      },
      marker,
      () => [{ type: 'put', sublevel: this.#bound, key: loc, value: this.#sealer.seal(`${SUB.bound}/${loc}`, kept!) }],
    ).then((r) => r?.result as R | undefined);
  }

  /**
   * The second step of a bound presignature: `use(record, binding)` computes the partial, which is
   * added to the binding's journal result while the record is deleted (one batch, not fsynced: if
   * it is lost, the record is still bound to the same use and gives the same partial again).
   * Undefined when no record is bound under `requestId` (never bound, or already used: the journal
   * then holds the result).
   */
  useBound<R extends Record<string, unknown>>(keyId: string, id: string, requestId: string, use: (record: Uint8Array, binding: JournalEntry) => R): Promise<R | undefined> {
    const loc = `${keyId}/${id}`;
    return this.#op(
      [
        { name: `key:${keyId}`, mode: 'shared' },
        { name: `presig:${loc}`, mode: 'exclusive' },
        { name: `journal:${requestId}`, mode: 'exclusive' },
      ],
      async () => {
        checkKeyId(keyId);
        checkPresigId(id);
        checkRequestId(requestId);
        const [sealed, binding] = await Promise.all([this.#get(this.#bound, loc), this.#get(this.#journal, requestId)]);
        if (sealed === undefined || binding === undefined || binding.presignatureId !== id) return undefined;
        const result = use(this.#sealer.open(`${SUB.bound}/${loc}`, sealed), binding);
        await this.#db.batch<string, unknown>(
          [
            { type: 'del', sublevel: this.#bound, key: loc },
            { type: 'put', sublevel: this.#journal, key: requestId, value: { ...binding, result: { ...(binding.result as object), ...result } } satisfies JournalEntry },
          ],
          { sync: false },
        );
        return result;
      },
    );
  }

  /**
   * Removes a presignature from the pool without using it (e.g. a record that fails to decrypt, or
   * a signer set that can no longer sign), tombstoned, fsynced. Returns false if it was not pooled.
   */
  discardPresignature(keyId: string, id: string): Promise<boolean> {
    const loc = `${keyId}/${id}`;
    return this.#op(
      [
        { name: `key:${keyId}`, mode: 'shared' },
        { name: `presig:${loc}`, mode: 'exclusive' },
      ],
      async () => {
        checkKeyId(keyId);
        checkPresigId(id);
        const [record, index] = await Promise.all([this.#get(this.#presigs, loc), this.#get(this.#index, loc)]);
        if (record === undefined && index === undefined) return false;
        await this.#db.batch<string, unknown>(
          [
            { type: 'del', sublevel: this.#presigs, key: loc },
            { type: 'del', sublevel: this.#index, key: loc },
            { type: 'put', sublevel: this.#retired, key: loc, value: { reason: 'discarded', at: Date.now() } satisfies RetiredEntry },
          ],
          { sync: true },
        );
        return true;
      },
    );
  }

  // ---- journal --------------------------------------------------------------------------------

  getJournal(requestId: string): Promise<JournalEntry | undefined> {
    return this.#op([], async () => {
      checkRequestId(requestId);
      return this.#get(this.#journal, requestId);
    });
  }

  /**
   * Records a request. A different requestHash under an existing requestId: STORE_CONFLICT; the
   * same requestHash: no-op (the stored entry is kept as it is). Use completeJournal to add a result.
   */
  putJournal(requestId: string, entry: JournalEntry): Promise<void> {
    return this.#op([{ name: `journal:${requestId}`, mode: 'exclusive' }], async () => {
      checkRequestId(requestId);
      checkJournalEntry(entry);
      const existing = await this.#get(this.#journal, requestId);
      if (existing === undefined) return void (await this.#journal.put(requestId, { ...entry }));
      if (existing.requestHash !== entry.requestHash) {
        throw new StoreError('STORE_CONFLICT', `request ${requestId} is already journalled with a different request hash (replay or id reuse)`, {
          requestId,
          method: existing.method,
        });
      }
    });
  }

  /**
   * Records the result of a journalled request (e.g. the partial signature after
   * consumePresignature wrote the entry). STORE_NOT_FOUND without an entry; the same result again
   * is a no-op; a different result than the stored one: STORE_CONFLICT (results are never replaced).
   */
  completeJournal(requestId: string, result: unknown): Promise<void> {
    return this.#op([{ name: `journal:${requestId}`, mode: 'exclusive' }], async () => {
      checkRequestId(requestId);
      if (result === undefined) throw new TypeError('completeJournal needs a result');
      const existing = await this.#get(this.#journal, requestId);
      if (existing === undefined) throw new StoreError('STORE_NOT_FOUND', `request ${requestId} is not in the journal`, { requestId });
      if (existing.result !== undefined) {
        if (JSON.stringify(existing.result) === JSON.stringify(result)) return;
        throw new StoreError('STORE_CONFLICT', `request ${requestId} already has a different result`, { requestId, method: existing.method });
      }
      await this.#journal.put(requestId, { ...existing, result });
    });
  }

  /** Every journal entry, in request-id order. */
  async *journalEntries(): AsyncIterable<[string, JournalEntry]> {
    this.#ensureOpen();
    try {
      for await (const [requestId, entry] of this.#journal.iterator()) yield [requestId, entry];
    } catch (e) {
      mapLevelError(e, { location: SUB.journal });
    }
  }

  // ---- peers: bans, suspensions, blames -------------------------------------------------------

  /** Every peer record, in (peer, by) order. */
  listPeerRecords(): Promise<PeerRecord[]> {
    return this.#op([], async () => {
      try {
        return (await this.#peers.iterator().all()).map(([, r]) => r);
      } catch (e) {
        mapLevelError(e, { location: SUB.peers });
      }
    });
  }

  /**
   * Records a ban, suspension or blame of `record.peer` by `record.by`, fsynced. A record by the
   * same node of the same or a stronger kind is kept (the first evidence stays); returns the
   * record now in force.
   */
  putPeerRecord(record: PeerRecord): Promise<PeerRecord> {
    const loc = `${record?.peer}/${record?.by}`;
    return this.#op([{ name: `peer:${record?.peer}`, mode: 'exclusive' }], async () => {
      checkPeer(record.peer);
      checkPeer(record.by);
      if (!(record.kind in PEER_RANK)) throw new TypeError(`unknown peer record kind ${String(record.kind)}`);
      const old = await this.#get(this.#peers, loc);
      if (old && PEER_RANK[old.kind] >= PEER_RANK[record.kind]) return old;
      await this.#db.batch<string, unknown>([{ type: 'put', sublevel: this.#peers, key: loc, value: record }], { sync: true });
      return record;
    });
  }

  /**
   * Lifts every record on `peer` (and forgets its recent aborts), fsynced. A lifted ban leaves the
   * OT correlations that the peer may have probed in place: every key shared with it (pending ones
   * too) is marked `refreshRequired` (the peer id added) in the same batch. Returns the lifted records and the
   * marked key ids (nothing written when there was no record).
   */
  liftPeerRecord(peer: string): Promise<{ lifted: PeerRecord[]; keys: string[] }> {
    return this.#op([{ name: `peer:${peer}`, mode: 'exclusive' }], async () => {
      checkPeer(peer);
      let lifted: [string, PeerRecord][];
      try {
        lifted = await this.#peers.iterator(NodeStore.#range(peer)).all();
      } catch (e) {
        mapLevelError(e, { location: SUB.peers });
      }
      if (lifted.length === 0) return { lifted: [], keys: [] };
      const marked: KeyMeta[] = [];
      const markedPending: [string, PendingKeyRecord][] = [];
      if (lifted.some(([, r]) => r.kind === 'banned')) {
        try {
          for await (const [, meta] of this.#keys.iterator()) {
            if (!meta.parties.includes(peer)) continue;
            const required = new Set([...((meta.refreshRequired as string[] | undefined) ?? []), peer]);
            marked.push({ ...meta, refreshRequired: [...required].sort() });
          }
          // A pending key becomes a key later: it is marked the same way.
          for await (const [keyId, record] of this.#pendingKeys.iterator()) {
            if (!record.meta.parties.includes(peer)) continue;
            const required = new Set([...((record.meta.refreshRequired as string[] | undefined) ?? []), peer]);
            markedPending.push([keyId, { ...record, meta: { ...record.meta, refreshRequired: [...required].sort() } }]);
          }
        } catch (e) {
          mapLevelError(e, { location: SUB.keys });
        }
      }
      await this.#db.batch<string, unknown>(
        [
          ...lifted.map(([loc]) => ({ type: 'del' as const, sublevel: this.#peers, key: loc })),
          { type: 'del', sublevel: this.#aborts, key: peer },
          ...marked.map((meta) => ({ type: 'put' as const, sublevel: this.#keys, key: meta.keyId, value: meta })),
          ...markedPending.map(([keyId, record]) => ({ type: 'put' as const, sublevel: this.#pendingKeys, key: keyId, value: record })),
        ],
        { sync: true },
      );
      return { lifted: lifted.map(([, r]) => r), keys: marked.map((m) => m.keyId) };
    });
  }

  /**
   * Adds an aborted session to the peer's recent aborts and returns those of the last `windowMs`
   * (older ones are dropped). Not fsynced: a count lost in a machine crash only delays a suspension.
   */
  recordAbort(peer: string, entry: AbortEntry, windowMs: number): Promise<AbortEntry[]> {
    return this.#op([{ name: `peer:${peer}`, mode: 'exclusive' }], async () => {
      checkPeer(peer);
      const recent = ((await this.#get(this.#aborts, peer)) ?? []).filter((a) => a.at > entry.at - windowMs);
      recent.push(entry);
      await this.#aborts.put(peer, recent);
      return recent;
    });
  }

  // ---- backup, restore and re-encryption (src/backup, rotate.ts) --------------------------------

  /**
   * Every entry as stored, read from one snapshot (consistent while the node runs): the key with
   * its sublevel prefix, the value as bytes (sealed values stay sealed). Returns the count.
   */
  exportEntries(visit: (key: string, value: Uint8Array) => Promise<void> | void): Promise<number> {
    return this.#op([], async () => {
      let n = 0;
      for await (const [key, value] of this.#db.iterator<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' })) {
        await visit(key, value);
        n++;
      }
      return n;
    });
  }

  /** The KDF record (meta/kdf) as stored: public, what a restore derives the key with. */
  kdfRecord(): Promise<Uint8Array> {
    return this.#op([], async () => (await this.#db.get<string, Uint8Array>(prefixed(SUB.meta, 'kdf'), { keyEncoding: 'utf8', valueEncoding: 'view' }))!);
  }

  /** A key for a backup file made with `salt`, derived from this store's key (HKDF). */
  backupKey(salt: Uint8Array): Uint8Array {
    return this.#sealer.subkey(BACKUP_KEY_INFO, salt);
  }

  /**
   * The backup key for a store whose KDF record (meta/kdf, as exported) is `kdfRecord`, from the
   * operator secret: what a restore uses before any store exists.
   */
  static async backupKeyFor(secret: string | Uint8Array, kdfRecord: Uint8Array, salt: Uint8Array): Promise<Uint8Array> {
    const k = parseKdf(JSON.parse(Buffer.from(kdfRecord).toString('utf8')), 'backup');
    const sealer = new Sealer(await deriveKey(secret, fromHex(k.salt)));
    try {
      return sealer.subkey(BACKUP_KEY_INFO, salt);
    } finally {
      sealer.wipe();
    }
  }

  /**
   * Rebuild a store at `path` (absent or empty) from exported entries. Presignatures are dropped
   * and each gets a tombstone (reason 'restore': it may have been used after the backup, so it can
   * never be added again); tombstones, journal entries, keys, shares and peer records are kept as
   * they were. The result is opened with `secret` (the check value must verify) and returned.
   */
  static async restore(path: string, entries: AsyncIterable<[string, Uint8Array]>, secret: string | Uint8Array): Promise<{ store: NodeStore; summary: RestoreSummary }> {
    if (existsSync(path) && readdirSync(path).length > 0) throw new StoreError('STORE_CONFLICT', `${path} is not empty: restore into a node folder without a database`, { path });
    mkdirSync(path, { recursive: true, mode: 0o700 });
    const raw = new Level<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await raw.open();
    let done = false;
    const summary: RestoreSummary = { entries: 0, keys: 0, presignaturesDropped: 0, tombstones: 0, journal: 0 };
    const dropped = new Set<string>();
    const tombstoned = new Set<string>();
    try {
      let batch: { type: 'put'; key: string; value: Uint8Array }[] = [];
      for await (const [key, value] of entries) {
        const [name, rest] = splitPrefixed(key);
        if (name === SUB.presigs || name === SUB.bound) {
          dropped.add(rest);
          if (name === SUB.presigs) summary.presignaturesDropped++;
          continue;
        }
        if (name === SUB.index) continue;
        if (name === SUB.retired) tombstoned.add(rest);
        if (name === SUB.keys) summary.keys++;
        if (name === SUB.journal) summary.journal++;
        batch.push({ type: 'put', key, value });
        summary.entries++;
        if (batch.length >= 1000) {
          await raw.batch(batch);
          batch = [];
        }
      }
      const at = Date.now();
      const tombstone = Buffer.from(JSON.stringify({ reason: 'restore', at } satisfies RetiredEntry));
      for (const loc of dropped) if (!tombstoned.has(loc)) batch.push({ type: 'put', key: prefixed(SUB.retired, loc), value: tombstone });
      summary.tombstones = new Set([...tombstoned, ...dropped]).size;
      batch.push({ type: 'put', key: prefixed(SUB.meta, 'restored'), value: Buffer.from(JSON.stringify({ at })) });
      await raw.batch(batch, { sync: true });
      done = true;
    } finally {
      await raw.close();
      if (!done) rmSync(path, { recursive: true, force: true }); // it was empty: leave nothing half-restored
    }
    try {
      return { store: await NodeStore.open({ path, secret }), summary };
    } catch (e) {
      rmSync(path, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * Copy this store into a new database at `target` (must not exist) under `newSecret`: a new
   * salt, every sealed value opened and sealed again, everything else copied as it is; fsynced.
   * Returns the number of entries. The caller swaps the folders (rotate.ts).
   */
  reencryptTo(target: string, newSecret: string | Uint8Array, progress: (copied: number) => void = () => {}): Promise<number> {
    return this.#op([], async () => {
      if (existsSync(target)) throw new StoreError('STORE_CONFLICT', `${target} exists`, { path: target });
      mkdirSync(target, { recursive: true, mode: 0o700 });
      const out = new Level<string, Uint8Array>(target, { keyEncoding: 'utf8', valueEncoding: 'view' });
      await out.open();
      const salt = newSalt();
      const sealer = new Sealer(await deriveKey(newSecret, salt));
      let n = 0;
      try {
        const record: KdfRecord = { version: FORMAT_VERSION, kdf: KDF.name, N: KDF.N, r: KDF.r, p: KDF.p, keyLength: KDF.keyLength, salt: toHex(salt), cipher: CIPHER };
        let batch: { type: 'put'; key: string; value: Uint8Array }[] = [
          { type: 'put', key: prefixed(SUB.meta, 'kdf'), value: Buffer.from(JSON.stringify(record)) },
          { type: 'put', key: prefixed(SUB.meta, 'check'), value: Buffer.from(JSON.stringify(toHex(sealer.makeCheck()))) },
        ];
        for await (const [key, value] of this.#db.iterator<string, Uint8Array>({ keyEncoding: 'utf8', valueEncoding: 'view' })) {
          const [name, rest] = splitPrefixed(key);
          if (name === SUB.meta && (rest === 'kdf' || rest === 'check')) continue;
          const location = `${name}/${rest}`;
          batch.push({ type: 'put', key, value: SEALED.has(name) ? sealer.seal(location, this.#sealer.open(location, value)) : value });
          if (++n % 1000 === 0) {
            await out.batch(batch);
            batch = [];
            progress(n);
          }
        }
        await out.batch(batch, { sync: true });
      } finally {
        sealer.wipe();
        await out.close();
        restrictFiles(target);
      }
      return n;
    });
  }

  // ---- internals ------------------------------------------------------------------------------

  #ensureOpen(): void {
    if (this.#closed) throw new Error(`store ${this.path} is closed`);
  }

  /** Runs a store operation under `locks`, tracked so close() waits for it. */
  #op<T>(locks: LockRequest[], fn: () => Promise<T>): Promise<T> {
    this.#ensureOpen();
    const p = this.#locks.withLocks(locks, async () => {
      this.#ensureOpen();
      return fn();
    });
    this.#inflight.add(p);
    const done = () => void this.#inflight.delete(p);
    p.then(done, done);
    return p;
  }

  async #get<V>(s: Sub<V>, key: string): Promise<V | undefined> {
    try {
      const v = await s.get(key);
      return v === undefined ? undefined : ((v instanceof Uint8Array ? view(v) : v) as V);
    } catch (e) {
      mapLevelError(e, { location: `${s.path().join('/')}/${key}` });
    }
  }

  #checkMeta(keyId: string, meta: KeyMeta): void {
    if (typeof meta !== 'object' || meta === null || meta.keyId !== keyId) {
      throw new StoreError('STORE_CORRUPT', `meta of key ${keyId} is malformed or names another key`, { keyId, location: `${SUB.keys}/${keyId}` });
    }
  }

  /** Entries "<id>/..." only: '0' is the character after '/'. */
  static #range(id: string) {
    return { gt: `${id}/`, lt: `${id}0` };
  }

  async #scanIds<V>(s: Sub<V>, keyId: string): Promise<string[]> {
    try {
      return await s.keys(NodeStore.#range(keyId)).all();
    } catch (e) {
      mapLevelError(e, { keyId, location: s.path().join('/') });
    }
  }
}

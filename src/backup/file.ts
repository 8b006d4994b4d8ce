// The backup file format: a clear header, then the contents in authenticated encrypted chunks.
//   "DANBKUP1" || u32be(header length) || header (JSON, see BackupHeader)
//   chunk*    : u32be(length) || nonce (24 bytes) || XChaCha20-Poly1305 ciphertext and tag
// Chunk i is sealed with AAD = SHA-256(magic || header) || u32be(i) || u8(final): the header
// cannot be changed, and chunks cannot be reordered, dropped or cut off (the last one says so;
// anything after it is refused). The contents are records: u8 kind || u32be(name length) || name ||
// u32be(value length) || value, kind 1 a file of the node folder, kind 2 a store entry.
// The key is the store key's HKDF for the header's salt (NodeStore.backupKey), so the operator
// secret opens it, together with the store's KDF record carried in the header.
// Assumes: one writer per file; the file is written beside its final name and renamed at the end.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { DanError } from '../errors/index.ts';

const MAGIC = Buffer.from('DANBKUP1');
const CHUNK_BYTES = 1 << 20;
const NONCE = 24;
const MAX_HEADER = 64 * 1024;

export interface BackupHeader {
  format: 'dan-node-backup';
  version: 1;
  /** Unix milliseconds. */
  createdAt: number;
  /** The node's peer id. */
  peerId: string;
  /** Salt of the backup key (hex). */
  salt: string;
  /** The store's KDF record (meta/kdf) as stored, base64: the secret's salt. */
  kdf: string;
}

export type BackupRecord = { kind: 'file'; name: string; value: Uint8Array } | { kind: 'entry'; name: string; value: Uint8Array };

export class BackupError extends DanError<'BACKUP_INVALID' | 'BACKUP_WRONG_SECRET'> {
  override name = 'BackupError';
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

function aad(headerHash: Buffer, index: number, final: boolean): Uint8Array {
  return Buffer.concat([headerHash, u32(index), Buffer.of(final ? 1 : 0)]);
}

/** Writes a backup file: `write(record)` as often as needed, then `finish()` (or `abort()`). */
export class BackupWriter {
  private readonly fd: number;
  private readonly partial: string;
  private readonly headerHash: Buffer;
  private readonly key: Uint8Array;
  private buffered: Buffer[] = [];
  private size = 0;
  private index = 0;

  constructor(
    private readonly out: string,
    header: Omit<BackupHeader, 'format' | 'version' | 'salt'>,
    key: (salt: Uint8Array) => Uint8Array,
  ) {
    const salt = new Uint8Array(randomBytes(32));
    this.key = key(salt);
    const full: BackupHeader = { format: 'dan-node-backup', version: 1, ...header, salt: Buffer.from(salt).toString('hex') };
    const json = Buffer.from(JSON.stringify(full));
    this.headerHash = createHash('sha256').update(MAGIC).update(json).digest();
    this.partial = `${out}.partial`;
    this.fd = openSync(this.partial, 'w', 0o600);
    writeSync(this.fd, Buffer.concat([MAGIC, u32(json.length), json]));
  }

  write(r: BackupRecord): void {
    const name = Buffer.from(r.name);
    const parts = [Buffer.of(r.kind === 'file' ? 1 : 2), u32(name.length), name, u32(r.value.length), Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength)];
    for (const p of parts) {
      this.buffered.push(p);
      this.size += p.length;
    }
    if (this.size >= CHUNK_BYTES) this.flush(false);
  }

  private flush(final: boolean): void {
    const plain = Buffer.concat(this.buffered);
    this.buffered = [];
    this.size = 0;
    const nonce = new Uint8Array(randomBytes(NONCE));
    const sealed = xchacha20poly1305(this.key, nonce, aad(this.headerHash, this.index++, final)).encrypt(plain);
    writeSync(this.fd, Buffer.concat([u32(NONCE + sealed.length), nonce, sealed]));
  }

  /** Seal the last chunk, fsync, and move the file to its name. */
  finish(): void {
    this.flush(true);
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.key.fill(0);
    renameSync(this.partial, this.out);
  }

  abort(): void {
    this.key.fill(0);
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.partial, { force: true });
  }
}

/** Reads a backup file's header (clear), then its records once `key` is known. */
export class BackupReader {
  readonly header: BackupHeader;
  private readonly fd: number;
  private readonly offset: number;
  private readonly headerHash: Buffer;
  private position = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    const head = this.read(MAGIC.length + 4, 'its header');
    if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupError('BACKUP_INVALID', `${path} is not a dan-node backup`, { path });
    const length = head.readUInt32BE(MAGIC.length);
    if (length > MAX_HEADER) throw new BackupError('BACKUP_INVALID', `${path}: header of ${length} bytes`, { path });
    const json = this.read(length, 'its header');
    this.offset = MAGIC.length + 4 + length;
    this.headerHash = createHash('sha256').update(MAGIC).update(json).digest();
    let h: Partial<BackupHeader>;
    try {
      h = JSON.parse(json.toString('utf8'));
    } catch {
      throw new BackupError('BACKUP_INVALID', `${path}: the header is not JSON`, { path });
    }
    if (h.format !== 'dan-node-backup' || h.version !== 1 || typeof h.salt !== 'string' || !/^[0-9a-f]{64}$/.test(h.salt) || typeof h.kdf !== 'string' || typeof h.peerId !== 'string') {
      throw new BackupError('BACKUP_INVALID', `${path}: unknown backup format or version`, { path });
    }
    this.header = h as BackupHeader;
  }

  private read(n: number, what: string): Buffer {
    const b = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const r = readSync(this.fd, b, got, n - got, this.position);
      if (r === 0) throw new BackupError('BACKUP_INVALID', `the backup file ends inside ${what} (cut off?)`);
      got += r;
      this.position += r;
    }
    return b;
  }

  private atEnd(): boolean {
    return readSync(this.fd, Buffer.alloc(1), 0, 1, this.position) === 0;
  }

  /** Every record, in the order written; BACKUP_WRONG_SECRET when the first chunk does not open. */
  *records(key: Uint8Array): Generator<BackupRecord> {
    this.position = this.offset;
    let pending = Buffer.alloc(0);
    for (let index = 0; ; index++) {
      if (this.atEnd()) throw new BackupError('BACKUP_INVALID', 'the backup file ends before its last chunk (cut off?)');
      const length = this.read(4, `chunk ${index}`).readUInt32BE(0);
      if (length < NONCE + 16 || length > CHUNK_BYTES * 2) throw new BackupError('BACKUP_INVALID', `chunk ${index} has an impossible length`);
      const body = this.read(length, `chunk ${index}`);
      const nonce = body.subarray(0, NONCE);
      let plain: Uint8Array | undefined;
      let final = false;
      for (const f of [false, true]) {
        try {
          plain = xchacha20poly1305(key, nonce, aad(this.headerHash, index, f)).decrypt(body.subarray(NONCE));
          final = f;
          break;
        } catch {
          // try the other flag
        }
      }
      if (!plain) {
        if (index === 0) throw new BackupError('BACKUP_WRONG_SECRET', 'the secret does not open this backup (or its first chunk is damaged)');
        throw new BackupError('BACKUP_INVALID', `chunk ${index} fails authentication (tampered, reordered or damaged)`);
      }
      pending = Buffer.concat([pending, plain]);
      let at = 0;
      for (;;) {
        if (pending.length - at < 9) break;
        const nameLength = pending.readUInt32BE(at + 1);
        if (pending.length - at < 9 + nameLength) break;
        const valueLength = pending.readUInt32BE(at + 5 + nameLength);
        const end = at + 9 + nameLength + valueLength;
        if (pending.length < end) break;
        const kind = pending[at];
        if (kind !== 1 && kind !== 2) throw new BackupError('BACKUP_INVALID', `record of unknown kind ${kind}`);
        const name = pending.subarray(at + 5, at + 5 + nameLength).toString('utf8');
        yield { kind: kind === 1 ? 'file' : 'entry', name, value: new Uint8Array(pending.subarray(at + 9 + nameLength, end)) };
        at = end;
      }
      pending = pending.subarray(at);
      if (final) {
        if (pending.length) throw new BackupError('BACKUP_INVALID', 'the last chunk ends inside a record');
        if (!this.atEnd()) throw new BackupError('BACKUP_INVALID', 'data after the last chunk');
        return;
      }
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

// Shared helpers of the store tests: temporary database directories under os.tmpdir() (removed
// by the caller's `after` hook), public key meta, random ids, error matchers, raw file scans.
// Assumes: tests own their temp directories exclusively and close every store before cleanup.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { StoreError, type KeyMeta, type StoreErrorCode } from '../../src/store/index.ts';

export const SECRET = 'correct horse battery staple';

/** A fresh parent directory; returns it and a `db(name)` path maker. `cleanup()` removes everything. */
export function tempRoot(): { root: string; db: (name?: string) => string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'dan-store-test-'));
  let n = 0;
  return {
    root,
    db: (name = `db${n++}`) => join(root, name),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export const rand = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
export const hexId = (): string => randomBytes(32).toString('hex');

export function keyMeta(keyId: string, extra: Record<string, unknown> = {}): KeyMeta {
  return {
    keyId,
    publicKey: `02${randomBytes(32).toString('hex')}`,
    threshold: 2,
    parties: ['node-a', 'node-b', 'node-c'],
    party: 0,
    owner: '0x00000000000000000000000000000000000000aa',
    createdAt: 1_700_000_000_000,
    ...extra,
  };
}

/** assert.rejects/throws matcher for a StoreError with this code. */
export const storeCode = (code: StoreErrorCode) => (e: unknown) => {
  if (e instanceof StoreError && e.code === code) return true;
  throw new Error(`expected StoreError ${code}, got ${e instanceof StoreError ? e.code : String(e)}`);
};

/** Every file of the directory, as bytes. */
export function rawFiles(dir: string): { name: string; bytes: Buffer }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ name: e.name, bytes: readFileSync(join(dir, e.name)) }));
}

/** Names of the files that contain `needle`. */
export function filesContaining(dir: string, needle: Uint8Array | string): string[] {
  const n = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : Buffer.from(needle);
  return rawFiles(dir).filter((f) => f.bytes.indexOf(n) !== -1).map((f) => f.name);
}

// Helpers for the security tests of a running cluster (test/cluster/security.test.ts):
// - raw JSON-RPC over HTTP (fetch on 127.0.0.1), so requests can be forged, replayed and malformed
//   exactly as an attacker would send them, bypassing the client library's own checks;
// - EIP-712 request signing with src/auth (the same code the client uses);
// - a recursive raw-byte scan of a folder, to look for secrets written in clear.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalAccount } from 'viem';
import { authorizeRequest, type AuthorizeOptions } from '../../src/auth/index.ts';
import { RemoteError } from '../../src/net/errors.ts';
import { DEVNET_NETWORK } from '../../src/cli/devnet.ts';
import type { DanMethod, DanParams, UnsignedParams } from '../../src/rpc/index.ts';

export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: any;
}

/** POST a raw body (a string is sent as is, anything else as JSON) to the coordinator. */
export async function post(url: string, body: unknown, init: RequestInit = {}): Promise<HttpReply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
    ...init,
  });
  return reply(res);
}

export async function get(url: string): Promise<HttpReply> {
  return reply(await fetch(url, { signal: AbortSignal.timeout(10_000) }));
}

async function reply(res: Response): Promise<HttpReply> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

let nextId = 1;

/** One JSON-RPC 2.0 call with the params exactly as given (no client-side checks). */
export function rpc(url: string, method: string, params: unknown): Promise<HttpReply> {
  return post(url, { jsonrpc: '2.0', id: nextId++, method, params });
}

/** Params of `method` signed by `account` (EIP-712, src/auth) for the devnet's network (default), ready to post. */
export async function signed<M extends DanMethod>(account: LocalAccount, method: M, params: UnsignedParams<M>, opts?: Partial<AuthorizeOptions>): Promise<DanParams<M>> {
  const auth = await authorizeRequest(account, method, params, { network: DEVNET_NETWORK, ...opts });
  return { ...params, auth } as DanParams<M>;
}

/** The `result` of a successful JSON-RPC reply (fails the test with the error otherwise). */
export function resultOf<T = any>(r: HttpReply): T {
  assert.equal(r.status, 200, `HTTP ${r.status}: ${r.text.slice(0, 300)}`);
  assert.ok(r.json && 'result' in r.json, `expected a result, got ${r.text.slice(0, 300)}`);
  return r.json.result as T;
}

/** Assert a JSON-RPC error reply with this code, data.reason and (optionally) data.field. */
export function assertRpcError(r: HttpReply, expected: { code: number; reason?: string; field?: string; status?: number }, what = ''): void {
  const label = `${what ? `${what}: ` : ''}${r.text.slice(0, 300)}`;
  assert.equal(r.status, expected.status ?? 200, `HTTP status (${label})`);
  assert.ok(r.json && typeof r.json === 'object' && !Array.isArray(r.json), `JSON object body (${label})`);
  assert.equal(r.json.jsonrpc, '2.0', `jsonrpc member (${label})`);
  assert.ok(!('result' in r.json), `no result (${label})`);
  assert.equal(r.json.error?.code, expected.code, `error code (${label})`);
  assert.equal(typeof r.json.error?.message, 'string', `error message (${label})`);
  if (expected.reason !== undefined) assert.equal(r.json.error?.data?.reason, expected.reason, `data.reason (${label})`);
  if (expected.field !== undefined) assert.equal(r.json.error?.data?.field, expected.field, `data.field (${label})`);
}

export interface RawFile {
  path: string;
  bytes: Buffer;
}

/** Every regular file under `dir`, recursively, as raw bytes. */
export function readTree(dir: string): RawFile[] {
  const out: RawFile[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() || statSync(p).isFile()) out.push({ path: p, bytes: readFileSync(p) });
    }
  };
  walk(dir);
  return out;
}

/** The first `size`-byte window of `bytes` (at a multiple of `size`) with at least 16 distinct byte values. */
export function highEntropyWindow(bytes: Uint8Array, size = 32): Uint8Array {
  for (let o = 0; o + size <= bytes.length; o += size) {
    const w = bytes.subarray(o, o + size);
    if (new Set(w).size >= 16) return w;
  }
  throw new Error('no high-entropy window');
}

/** Paths of the files that contain `needle` anywhere in their raw bytes. */
export function filesContaining(files: RawFile[], needle: Uint8Array | string): string[] {
  const n = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : Buffer.from(needle);
  assert.ok(n.length >= 16, 'a needle shorter than 16 bytes would match by chance');
  assert.ok(new Set(n).size >= 8, `a needle of ${new Set(n).size} distinct byte values (e.g. zeros) would match by chance`);
  return files.filter((f) => f.bytes.includes(n)).map((f) => f.path);
}

// ---- LevelDB files, decoded ----------------------------------------------------------------------
// LevelDB compresses table blocks with Snappy and splits log records at 32 KiB block boundaries, so
// a value written in clear is not always a contiguous byte string of the raw file. `leveldbViews`
// gives, for one database file, the decompressed data blocks of a table (.ldb/.sst) or the
// reassembled records of a log (.log, MANIFEST-*): scanning these as well as the raw bytes finds a
// secret written in clear wherever LevelDB put it.

function varint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [result, pos];
    shift += 7;
    if (shift > 49) throw new Error('varint too long');
  }
}

/** Snappy raw-format decompression (https://github.com/google/snappy/blob/main/format_description.txt). */
export function snappyDecompress(src: Uint8Array): Buffer {
  let [length, pos] = varint(src, 0);
  const out = Buffer.alloc(length);
  let o = 0;
  while (pos < src.length) {
    const tag = src[pos++];
    let len: number;
    let offset: number;
    switch (tag & 3) {
      case 0: {
        len = (tag >> 2) + 1;
        if (len > 60) {
          const bytes = len - 60;
          len = 0;
          for (let i = 0; i < bytes; i++) len += src[pos++] * 2 ** (8 * i);
          len += 1;
        }
        out.set(src.subarray(pos, pos + len), o);
        pos += len;
        o += len;
        continue;
      }
      case 1:
        len = ((tag >> 2) & 7) + 4;
        offset = ((tag >> 5) << 8) | src[pos++];
        break;
      case 2:
        len = (tag >> 2) + 1;
        offset = src[pos] | (src[pos + 1] << 8);
        pos += 2;
        break;
      default:
        len = (tag >> 2) + 1;
        offset = (src[pos] | (src[pos + 1] << 8) | (src[pos + 2] << 16)) + src[pos + 3] * 2 ** 24;
        pos += 4;
    }
    if (offset === 0 || offset > o) throw new Error('bad snappy copy offset');
    for (let i = 0; i < len; i++, o++) out[o] = out[o - offset]; // byte by byte: copies may overlap
  }
  if (o !== length) throw new Error(`snappy: ${o} bytes decoded, ${length} announced`);
  return out;
}

function tableBlock(file: Uint8Array, offset: number, size: number): Buffer {
  const data = file.subarray(offset, offset + size);
  const type = file[offset + size];
  if (type === 0) return Buffer.from(data);
  if (type === 1) return snappyDecompress(data);
  throw new Error(`unknown block compression ${type}`);
}

/** Decompressed data blocks of a LevelDB table file. */
function tableViews(file: Uint8Array): Buffer[] {
  if (file.length < 48) return [];
  const footer = file.subarray(file.length - 48);
  if (Buffer.from(footer.subarray(40)).toString('hex') !== '57fb808b247547db') throw new Error('not a LevelDB table (bad magic)');
  let pos = 0;
  let metaOffset, metaSize, indexOffset, indexSize;
  [metaOffset, pos] = varint(footer, pos);
  [metaSize, pos] = varint(footer, pos);
  [indexOffset, pos] = varint(footer, pos);
  [indexSize, pos] = varint(footer, pos);
  const blocks = [tableBlock(file, metaOffset, metaSize)];
  const index = tableBlock(file, indexOffset, indexSize);
  blocks.push(index);
  const restarts = index.readUInt32LE(index.length - 4);
  const end = index.length - 4 - 4 * restarts;
  let p = 0;
  while (p < end) {
    let nonShared, valueLen;
    [, p] = varint(index, p);
    [nonShared, p] = varint(index, p);
    [valueLen, p] = varint(index, p);
    p += nonShared;
    const handle = index.subarray(p, p + valueLen);
    p += valueLen;
    const [offset, q] = varint(handle, 0);
    const [size] = varint(handle, q);
    blocks.push(tableBlock(file, offset, size));
  }
  return blocks;
}

/** Records of a LevelDB log file (write-ahead log or manifest), fragments joined. */
function logViews(file: Uint8Array): Buffer[] {
  const BLOCK = 32 * 1024;
  const records: Buffer[] = [];
  let pending: Uint8Array[] = [];
  let pos = 0;
  while (pos + 7 <= file.length) {
    const left = BLOCK - (pos % BLOCK);
    if (left < 7) {
      pos += left; // trailer of a block
      continue;
    }
    const length = file[pos + 4] | (file[pos + 5] << 8);
    const type = file[pos + 6];
    if (type === 0 && length === 0) {
      pos += left; // zero padding (preallocated space)
      continue;
    }
    const data = file.subarray(pos + 7, pos + 7 + length);
    pos += 7 + length;
    if (type === 1) records.push(Buffer.from(data)); // FULL
    else if (type === 2) pending = [data]; // FIRST
    else if (type === 3) pending.push(data); // MIDDLE
    else if (type === 4) {
      pending.push(data); // LAST
      records.push(Buffer.concat(pending));
      pending = [];
    }
  }
  return records;
}

/** Decoded views of a LevelDB file (empty for files that are neither tables nor logs). */
export function leveldbViews(f: RawFile): RawFile[] {
  const name = f.path.split('/').pop() ?? '';
  const views = /\.(ldb|sst)$/.test(name) ? tableViews(f.bytes) : /^\d+\.log$|^MANIFEST-/.test(name) ? logViews(f.bytes) : [];
  return views.map((bytes, i) => ({ path: `${f.path}#${i}`, bytes }));
}

/** Raw files plus the decoded views of the LevelDB ones. */
export function withLeveldbViews(files: RawFile[]): RawFile[] {
  return [...files, ...files.flatMap(leveldbViews)];
}

/** Assert that `p` is refused by the remote node itself (RemoteError) with `code`. */
export async function assertRefused(p: Promise<unknown>, code: string, what: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof RemoteError, `${what}: the node's own error, got ${(e as Error)?.stack ?? e}`);
    assert.equal(e.code, code, `${what}: ${e.message}`);
    return true;
  }, `${what}: must be refused with ${code}`);
}

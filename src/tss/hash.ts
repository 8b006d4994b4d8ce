// Domain-separated hashing for every transcript, commitment, random oracle and SHAKE-based PRG of
// the engine (the OT extension's PRG and output hash are fixed-key AES: ot/fixed-key-aes.ts).
// All inputs are length-prefixed (u32be) after a versioned domain label, so no two distinct
// (domain, parts) tuples can produce the same preimage. SHA-256 for fixed outputs, SHAKE256 for
// variable-length expansion; both from node:crypto (native, ~10x faster than the JS versions).
import { createHash, timingSafeEqual } from 'node:crypto';

const PREFIX = 'dan-node/tss/v1/';

type NodeHash = ReturnType<typeof createHash>;

function lengthPrefix(n: number): Uint8Array {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n, 0);
  return b;
}

// Encoded (length-prefixed) domain labels, computed once per label.
const labels = new Map<string, Buffer>();
function label(domain: string): Buffer {
  let l = labels.get(domain);
  if (!l) {
    const text = Buffer.from(PREFIX + domain, 'utf8');
    l = Buffer.concat([lengthPrefix(text.length), text]);
    labels.set(domain, l);
  }
  return l;
}

// update() copies its input synchronously, so one scratch buffer serves every length prefix.
const scratch = Buffer.alloc(4);
function absorb(h: NodeHash, domain: string, parts: readonly Uint8Array[]): void {
  h.update(label(domain));
  for (const p of parts) {
    scratch.writeUInt32BE(p.length, 0);
    h.update(scratch);
    h.update(p);
  }
}

/** SHA-256 of the domain label and the length-prefixed parts. */
export function hash(domain: string, ...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  absorb(h, domain, parts);
  return new Uint8Array(h.digest());
}

/** SHAKE256 expansion of the domain label and parts to `length` bytes (PRG / random oracle). */
export function expand(domain: string, length: number, ...parts: Uint8Array[]): Uint8Array {
  const h = createHash('shake256', { outputLength: length });
  absorb(h, domain, parts);
  return new Uint8Array(h.digest());
}

/** Streaming form of `hash`/`expand` for large inputs built piece by piece. */
export class Hasher {
  private readonly h;
  constructor(domain: string, outputLength?: number) {
    this.h = outputLength === undefined ? createHash('sha256') : createHash('shake256', { outputLength });
    absorb(this.h, domain, []);
  }
  update(part: Uint8Array): this {
    this.h.update(lengthPrefix(part.length));
    this.h.update(part);
    return this;
  }
  digest(): Uint8Array {
    return new Uint8Array(this.h.digest());
  }
}

export function u32(n: number): Uint8Array {
  return lengthPrefix(n);
}

export function u32list(values: readonly number[]): Uint8Array {
  const b = new Uint8Array(4 * values.length);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setUint32(4 * i, x));
  return b;
}

/** Constant-time equality of two byte strings (lengths are public). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function xorInto(target: Uint8Array, source: Uint8Array): void {
  for (let i = 0; i < target.length; i++) target[i] ^= source[i];
}

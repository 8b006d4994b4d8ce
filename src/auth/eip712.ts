// EIP-712 hashing for dan-node's request structs, specialised for their flat field types
// (string, bytes32, address, uintN, string[], address[]): the same bytes as viem's hashTypedData
// (the tests check that), without its generic encoder, which costs ~10x more on this hot path
// (every node hashes every request it is asked to sign).
import { keccak_256 } from '@noble/hashes/sha3.js';
import { hexToBytes, type Hex } from 'viem';

type Field = { readonly name: string; readonly type: string };

const utf8 = (s: string) => new TextEncoder().encode(s);
const keccak = (b: Uint8Array) => keccak_256(b);

function word(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = value;
  for (let i = 31; i >= 0 && v > 0n; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function encodeValue(type: string, value: unknown): Uint8Array {
  switch (type) {
    case 'string':
      return keccak(utf8(value as string));
    case 'bytes32': {
      const b = hexToBytes(value as Hex);
      if (b.length !== 32) throw new Error('bytes32 value must be 32 bytes');
      return b;
    }
    case 'address': {
      const b = hexToBytes(value as Hex);
      if (b.length !== 20) throw new Error('address must be 20 bytes');
      const out = new Uint8Array(32);
      out.set(b, 12);
      return out;
    }
    case 'bool':
      if (typeof value !== 'boolean') throw new Error('bool must be true or false');
      return word(value ? 1n : 0n);
    case 'string[]':
    case 'address[]': {
      const items = value as unknown[];
      const inner = type.slice(0, -2);
      const buf = new Uint8Array(32 * items.length);
      items.forEach((item, i) => buf.set(encodeValue(inner, item), 32 * i));
      return keccak(buf);
    }
    default: {
      const m = /^uint(\d+)$/.exec(type);
      if (!m) throw new Error(`unsupported EIP-712 type ${type}`);
      const v = BigInt(value as number | bigint);
      if (v < 0n || v >= 1n << BigInt(m[1])) throw new Error(`${type} out of range`);
      return word(v);
    }
  }
}

const typeHashes = new Map<string, Uint8Array>();
function typeHash(primary: string, fields: readonly Field[]): Uint8Array {
  let h = typeHashes.get(primary);
  if (!h) typeHashes.set(primary, (h = keccak(utf8(`${primary}(${fields.map((f) => `${f.type} ${f.name}`).join(',')})`))));
  return h;
}

export function hashStruct(primary: string, fields: readonly Field[], message: Record<string, unknown>): Uint8Array {
  const buf = new Uint8Array(32 * (fields.length + 1));
  buf.set(typeHash(primary, fields), 0);
  fields.forEach((f, i) => buf.set(encodeValue(f.type, message[f.name]), 32 * (i + 1)));
  return keccak(buf);
}

const DOMAIN_FIELDS = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'salt', type: 'bytes32' },
] as const;

const separators = new Map<string, Uint8Array>();
function domainSeparator(domain: { name: string; version: string; salt: Hex }): Uint8Array {
  const id = `${domain.name}\n${domain.version}\n${domain.salt}`;
  let s = separators.get(id);
  if (!s) separators.set(id, (s = hashStruct('EIP712Domain', DOMAIN_FIELDS, domain)));
  return s;
}

/** keccak256(0x1901 || domainSeparator || hashStruct(message)) for a domain with name, version and salt. */
export function typedDataDigest(domain: { name: string; version: string; salt: Hex }, primary: string, fields: readonly Field[], message: Record<string, unknown>): Uint8Array {
  const buf = new Uint8Array(66);
  buf[0] = 0x19;
  buf[1] = 0x01;
  buf.set(domainSeparator(domain), 2);
  buf.set(hashStruct(primary, fields, message), 34);
  return keccak(buf);
}

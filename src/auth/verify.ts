// Verification of request authentication, run by the coordinator and by every node before it takes
// part in a request. Steps: shape of `auth` -> expiry window -> signature encoding (r, s in [1, n),
// low s, v in {27, 28} or {0, 1}) -> EIP-712 hash (viem hashTypedData) -> public-key recovery with
// libsecp256k1 (native, else WebAssembly: tss/math/secp256k1.ts) -> keccak address == signer.
// Everything libsecp256k1 receives has been range-checked first.
// Expiry too far in the future (more than maxLifetimeSec from now) is AUTH_MALFORMED, not
// AUTH_EXPIRED: the request is not stale, the client asked for a lifetime the server does not grant.
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, checksumAddress, hexToBytes, type Address, type Hex } from 'viem';
import { curve } from '../tss/math/secp256k1.ts';
import { typedDataDigest } from './eip712.ts';
import type { Auth, DanMethod, UnsignedParams } from '../rpc/schema.ts';
import { authFail } from './errors.ts';
import { authRequestFor } from './messages.ts';
import { danDomain, DAN_TYPES, type AuthBody, type AuthKind } from './types.ts';

export interface VerifyOptions {
  /** The network the request must be signed for (the node config's `network`). */
  network: string;
  /** Current time, unix seconds (default: the clock). */
  now?: number;
  /** Longest accepted `expiry - now`, seconds (default 3600). */
  maxLifetimeSec?: number;
}

export interface VerifiedAuth {
  /** The recovered signer, checksummed (equal to auth.signer up to case). */
  signer: Address;
  /** The EIP-712 hash that was signed (requestDigest); journal it as the request hash. */
  digest: Hex;
}

export const DEFAULT_MAX_LIFETIME_SEC = 3600;

/** The EIP-712 hash of a request of `kind` for `network` with this body and expiry: what the signer signs. */
export function requestDigest<K extends AuthKind>(network: string, kind: K, body: AuthBody<K>, expiry: number | bigint): Hex {
  return bytesToHex(typedDataDigest(danDomain(network), kind, DAN_TYPES[kind], { ...body, expiry: BigInt(expiry) }));
}

/**
 * The EIP-712 hash of the request content with expiry 0: identical for two signatures of the same
 * request made at different times. Use it to tell a retry (same requestId, same content, fresh
 * auth) from a conflicting reuse of a requestId.
 */
export function contentDigest<K extends AuthKind>(network: string, kind: K, body: AuthBody<K>): Hex {
  return requestDigest(network, kind, body, 0n);
}

// secp256k1 group order n and n/2 as big-endian bytes, for byte-wise range checks.
const N = hexToBytes('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
const HALF_N = hexToBytes('0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0');
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;

/** Compare two 32-byte big-endian numbers. */
function cmp32(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
function isZero32(a: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== 0) return false;
  return true;
}

/** Check `auth` against the message body; returns the signer and the request digest or throws AuthError. */
export function verifyAuth<K extends AuthKind>(kind: K, message: AuthBody<K>, auth: Auth, opts: VerifyOptions): VerifiedAuth {
  // 1. Shape (nodes may receive auth from peers that skipped validateParams).
  if (typeof auth !== 'object' || auth === null) authFail('AUTH_MALFORMED', 'auth must be an object', 'auth');
  const { signer, signature, expiry } = auth;
  if (typeof signer !== 'string' || !ADDRESS.test(signer)) authFail('AUTH_MALFORMED', 'auth.signer must be a 20-byte 0x address', 'auth.signer');
  if (typeof signature !== 'string' || !SIGNATURE.test(signature)) authFail('AUTH_MALFORMED', 'auth.signature must be 65 bytes of 0x-hex', 'auth.signature');
  if (typeof expiry !== 'number' || !Number.isSafeInteger(expiry) || expiry < 0) authFail('AUTH_MALFORMED', 'auth.expiry must be an integer (unix seconds)', 'auth.expiry');

  // 2. Expiry window.
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const maxLifetime = opts.maxLifetimeSec ?? DEFAULT_MAX_LIFETIME_SEC;
  if (expiry <= now) authFail('AUTH_EXPIRED', `request authentication expired at ${expiry} (now ${now})`, 'auth.expiry');
  if (expiry - now > maxLifetime) authFail('AUTH_MALFORMED', `auth.expiry is ${expiry - now} s ahead; at most ${maxLifetime} s is accepted`, 'auth.expiry');

  // 3. Signature encoding, before anything reaches libsecp256k1.
  const sig = hexToBytes(signature as Hex);
  const r = sig.subarray(0, 32);
  const s = sig.subarray(32, 64);
  const v = sig[64];
  if (isZero32(r) || cmp32(r, N) >= 0) authFail('AUTH_MALFORMED', 'signature r is out of range', 'auth.signature');
  if (isZero32(s) || cmp32(s, N) >= 0) authFail('AUTH_MALFORMED', 'signature s is out of range', 'auth.signature');
  if (cmp32(s, HALF_N) > 0) authFail('AUTH_MALFORMED', 'signature s is not canonical (high s)', 'auth.signature');
  const recid = v === 27 || v === 28 ? v - 27 : v === 0 || v === 1 ? v : authFail('AUTH_MALFORMED', `signature v must be 27 or 28 (got ${v})`, 'auth.signature');

  // 4. The signed hash.
  let digest: Hex;
  try {
    digest = requestDigest(opts.network, kind, message, expiry);
  } catch (e) {
    authFail('AUTH_MALFORMED', `request cannot be hashed: ${(e as Error).message.split('\n')[0]}`, 'params');
  }

  // 5. Recovery. r passed the range checks; an r that is not the x of a curve point recovers
  // nothing, which is a bad signature, not a crash.
  const pub = curve.recover(hexToBytes(digest), sig.subarray(0, 64), recid as 0 | 1);
  if (!pub) authFail('AUTH_BAD_SIGNATURE', 'signature does not recover to a public key', 'auth.signature');
  const recovered = bytesToHex(keccak_256(pub.subarray(1)).subarray(12));
  if (recovered !== signer.toLowerCase()) authFail('AUTH_BAD_SIGNATURE', 'signature was not made by auth.signer over this request', 'auth.signature');
  return { signer: checksumAddress(recovered), digest };
}

/** verifyAuth for a dan_* call: builds the message from the params (which carry `auth`). */
export function verifyRequest<M extends DanMethod>(method: M, params: UnsignedParams<M> & { auth: Auth }, opts: VerifyOptions): VerifiedAuth {
  const { kind, body } = authRequestFor(method, params);
  return verifyAuth(kind, body as AuthBody<typeof kind>, params.auth, opts);
}

/** Throws AUTH_NOT_ALLOWED unless `signer` is in `allowed` (addresses compared case-insensitively). */
export function assertSignerAllowed(signer: Address, allowed: readonly Address[]): void {
  const s = signer.toLowerCase();
  if (!allowed.some((a) => a.toLowerCase() === s)) authFail('AUTH_NOT_ALLOWED', `signer ${signer} is not allowed to use this key`, 'auth.signer');
}

// Raw point arithmetic of secp256k1 on SEC1 bytes, in libsecp256k1: the native build (the
// `secp256k1` package's N-API binding with its prebuilt binaries) when it loads, else the
// WebAssembly build (tiny-secp256k1), 3-4x slower. DAN_NODE_SECP256K1=wasm forces the second.
// The package's pure-JS fallback (elliptic, not constant time) is never loaded.
// Products with a secret scalar are constant time in both: natively through the ECDH module
// (ecmult_const; the library's pubkey_tweak_mul uses the variable-time ecmult), in WebAssembly
// through noble's constant-time ladder (tiny-secp256k1 exposes only tweak_mul). Products with a
// public scalar use the faster variable-time path. Inputs are checked by the callers (point.ts,
// endemic.ts) before they get here: libsecp256k1 must only see valid points and scalars in [1, q).
import { createRequire } from 'node:module';
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import * as wasm from 'tiny-secp256k1';

export interface Secp256k1 {
  readonly name: 'native' | 'wasm';
  /** Whether 33/65 bytes encode a point on the curve. */
  isPoint(p: Uint8Array): boolean;
  /** A valid point in the other encoding (throws on an invalid one). */
  convert(p: Uint8Array, compressed: boolean): Uint8Array;
  /** secret * G (constant time); throws unless secret is in [1, q). */
  mulBase(secret: Uint8Array, compressed: boolean): Uint8Array;
  /** secret * P (constant time), 65 bytes; secret in [1, q). */
  mulSecret(p: Uint8Array, secret: Uint8Array): Uint8Array;
  /** scalar * P for a public scalar in [1, q) (variable time), 65 bytes. */
  mulPublic(p: Uint8Array, scalar: Uint8Array): Uint8Array;
  /** a + b, null for the identity. */
  add(a: Uint8Array, b: Uint8Array, compressed: boolean): Uint8Array | null;
  /** ECDSA verification of a 64-byte (r, s) with low s. */
  verify(digest: Uint8Array, publicKey: Uint8Array, signature: Uint8Array): boolean;
  /** The public key (65 bytes) a 64-byte (r, s) with recovery id 0 or 1 recovers to, null if none. */
  recover(digest: Uint8Array, signature: Uint8Array, recoveryId: 0 | 1): Uint8Array | null;
}

/** The native binding's functions used here (secp256k1 package, lib/index.js). */
interface NativeBinding {
  publicKeyVerify(p: Uint8Array): boolean;
  publicKeyConvert(p: Uint8Array, compressed: boolean): Uint8Array;
  publicKeyCreate(secret: Uint8Array, compressed: boolean): Uint8Array;
  publicKeyTweakMul(p: Uint8Array, tweak: Uint8Array, compressed: boolean): Uint8Array;
  publicKeyCombine(points: Uint8Array[], compressed: boolean): Uint8Array;
  ecdsaVerify(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean;
  ecdsaRecover(signature: Uint8Array, recoveryId: number, digest: Uint8Array, compressed: boolean): Uint8Array;
  ecdh(p: Uint8Array, secret: Uint8Array, options: { hashfn: (x: Uint8Array, y: Uint8Array) => Uint8Array; xbuf: Uint8Array; ybuf: Uint8Array }, output: Uint8Array): Uint8Array;
}

function nativeCurve(lib: NativeBinding): Secp256k1 {
  // ECDH's "hash" receives the product's coordinates; returning them whole gives the point.
  const xbuf = new Uint8Array(32);
  const ybuf = new Uint8Array(32);
  const scratch = new Uint8Array(65);
  const hashfn = (x: Uint8Array, y: Uint8Array): Uint8Array => {
    scratch[0] = 4;
    scratch.set(x, 1);
    scratch.set(y, 33);
    return scratch;
  };
  const options = { hashfn, xbuf, ybuf };
  return {
    name: 'native',
    isPoint: (p) => lib.publicKeyVerify(p),
    convert: (p, compressed) => lib.publicKeyConvert(p, compressed),
    mulBase: (secret, compressed) => lib.publicKeyCreate(secret, compressed),
    mulSecret(p, secret) {
      const out = lib.ecdh(p, secret, options, new Uint8Array(65));
      xbuf.fill(0);
      ybuf.fill(0);
      scratch.fill(0);
      return out;
    },
    mulPublic: (p, scalar) => lib.publicKeyTweakMul(p, scalar, false),
    add(a, b, compressed) {
      try {
        return lib.publicKeyCombine([a, b], compressed);
      } catch {
        return null; // the sum is the identity (the inputs were valid)
      }
    },
    verify(digest, publicKey, signature) {
      try {
        return lib.ecdsaVerify(signature, digest, publicKey);
      } catch {
        return false; // r or s out of range
      }
    },
    recover(digest, signature, recoveryId) {
      try {
        return lib.ecdsaRecover(signature, recoveryId, digest, false);
      } catch {
        return null; // r is not the x of a point, or r, s out of range
      }
    },
  };
}

function wasmCurve(): Secp256k1 {
  const Point = noble.Point;
  const product = (p: Uint8Array | null): Uint8Array => {
    if (!p) throw new Error('product is the identity');
    return p;
  };
  return {
    name: 'wasm',
    isPoint: (p) => wasm.isPoint(p),
    convert: (p, compressed) => wasm.pointCompress(p, compressed),
    mulBase: (secret, compressed) => product(wasm.pointFromScalar(secret, compressed)),
    mulSecret: (p, secret) => Point.fromBytes(p).multiply(bigIntOf(secret)).toBytes(false),
    mulPublic: (p, scalar) => product(wasm.pointMultiply(p, scalar, false)),
    add: (a, b, compressed) => wasm.pointAdd(a, b, compressed),
    verify: (digest, publicKey, signature) => wasm.verify(digest, publicKey, signature, true),
    recover(digest, signature, recoveryId) {
      try {
        return wasm.recover(digest, signature, recoveryId, false);
      } catch {
        return null; // tiny-secp256k1 refuses an r that is not the x of a point
      }
    },
  };
}

function bigIntOf(bytes: Uint8Array): bigint {
  return BigInt('0x' + Buffer.from(bytes).toString('hex'));
}

function loadNative(): NativeBinding | undefined {
  try {
    return createRequire(import.meta.url)('secp256k1/bindings.js') as NativeBinding;
  } catch {
    return undefined; // no prebuilt binary for this platform and none compiled at install
  }
}

/** Both builds where available, for tests that compare them. */
export function backends(): Secp256k1[] {
  const lib = loadNative();
  return lib ? [nativeCurve(lib), wasmCurve()] : [wasmCurve()];
}

function select(): Secp256k1 {
  const wanted = process.env.DAN_NODE_SECP256K1;
  if (wanted !== undefined && wanted !== '' && wanted !== 'native' && wanted !== 'wasm') {
    throw new Error(`DAN_NODE_SECP256K1 must be "native" or "wasm" (got ${JSON.stringify(wanted)})`);
  }
  if (wanted === 'wasm') return wasmCurve();
  const lib = loadNative();
  if (lib) return nativeCurve(lib);
  if (wanted === 'native') throw new Error('DAN_NODE_SECP256K1=native: the native secp256k1 binding did not load on this platform');
  return wasmCurve();
}

/** The build this process uses. */
export const curve: Secp256k1 = select();

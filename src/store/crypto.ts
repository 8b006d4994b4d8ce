// At-rest encryption for the node store.
// Key: scrypt(operator secret, per-database salt) with N = 2^15, r = 8, p = 1, 32 bytes, run
// asynchronously on the libuv thread pool so startup stays responsive (~0.1 s on 2 cores).
// Cipher: XChaCha20-Poly1305 (@noble/ciphers) with a fresh random 24-byte nonce per write; a sealed
// value is nonce || ciphertext || tag. The associated data is the entry's location
// ("<sublevel>/<key>"), so a ciphertext copied under another key or sublevel fails to open.
// A check value (a constant sealed under location "meta/check") lets `open` tell a wrong secret
// from a corrupt entry. Other uses of the secret (backup files) get their own key from the store
// key by HKDF-SHA256 (`subkey`), so they need no second scrypt and the secret is not kept.
// Assumes: the 24-byte random nonce never repeats in practice (2^96 birthday bound), the salt is
// public, and the secret has enough entropy for scrypt to matter (it is an operator secret, not a PIN).
import { hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { StoreError } from './errors.ts';

export const KDF = Object.freeze({ name: 'scrypt', N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 });
export const CIPHER = 'xchacha20poly1305';
export const NONCE_LENGTH = 24;
export const TAG_LENGTH = 16;
export const CHECK_LOCATION = 'meta/check';
const CHECK_PLAINTEXT = new TextEncoder().encode('dan-node store check v1');
// scrypt needs 128 * N * r bytes (32 MiB here); Node's default maxmem is exactly 32 MiB and refuses.
const SCRYPT_MAXMEM = 256 * KDF.N * KDF.r;

const utf8 = new TextEncoder();

/** A plain Uint8Array view (noble wants Uint8Array; level hands out Buffers). */
export const view = (b: Uint8Array): Uint8Array => (b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength));

export function newSalt(): Uint8Array {
  return new Uint8Array(randomBytes(KDF.saltLength));
}

/** scrypt(secret, salt) on the thread pool. The secret is used as its UTF-8 bytes when a string. */
export function deriveKey(secret: string | Uint8Array, salt: Uint8Array): Promise<Uint8Array> {
  const input = typeof secret === 'string' ? utf8.encode(secret) : secret;
  return new Promise((resolve, reject) => {
    scrypt(input, salt, KDF.keyLength, { N: KDF.N, r: KDF.r, p: KDF.p, maxmem: SCRYPT_MAXMEM }, (err, key) => {
      if (err) reject(err);
      else {
        const out = new Uint8Array(key); // own copy, so wipe() zeroes the only one
        key.fill(0);
        resolve(out);
      }
    });
  });
}

/** Seals and opens entry values with one derived key; `wipe()` zeroes the key on close. */
export class Sealer {
  #key: Uint8Array;

  constructor(key: Uint8Array) {
    if (key.length !== KDF.keyLength) throw new TypeError(`store key must be ${KDF.keyLength} bytes`);
    this.#key = key;
  }

  seal(location: string, plaintext: Uint8Array): Uint8Array {
    const nonce = new Uint8Array(randomBytes(NONCE_LENGTH));
    const ct = xchacha20poly1305(this.#key, nonce, utf8.encode(location)).encrypt(view(plaintext));
    const out = new Uint8Array(NONCE_LENGTH + ct.length);
    out.set(nonce, 0);
    out.set(ct, NONCE_LENGTH);
    return out;
  }

  /** Opens a sealed value stored at `location`; STORE_CORRUPT when it does not authenticate there. */
  open(location: string, sealed: Uint8Array): Uint8Array {
    const bytes = view(sealed);
    if (bytes.length < NONCE_LENGTH + TAG_LENGTH) {
      throw new StoreError('STORE_CORRUPT', `entry ${location} is too short to be a sealed value`, { location });
    }
    try {
      return xchacha20poly1305(this.#key, bytes.subarray(0, NONCE_LENGTH), utf8.encode(location)).decrypt(bytes.subarray(NONCE_LENGTH));
    } catch (cause) {
      throw new StoreError('STORE_CORRUPT', `entry ${location} fails authentication (tampered, moved or damaged)`, { location }, { cause });
    }
  }

  makeCheck(): Uint8Array {
    return this.seal(CHECK_LOCATION, CHECK_PLAINTEXT);
  }

  /** True when the check value opens under this key (i.e. the secret is the database's). */
  verifyCheck(sealed: Uint8Array): boolean {
    try {
      const pt = this.open(CHECK_LOCATION, sealed);
      return pt.length === CHECK_PLAINTEXT.length && timingSafeEqual(pt, CHECK_PLAINTEXT);
    } catch {
      return false;
    }
  }

  /** A key for another use of this store's secret: HKDF-SHA256(store key, salt, info). */
  subkey(info: string, salt: Uint8Array): Uint8Array {
    return new Uint8Array(hkdfSync('sha256', this.#key, salt, info, KDF.keyLength));
  }

  wipe(): void {
    this.#key.fill(0);
  }
}

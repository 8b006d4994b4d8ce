// Unit tests of the engine's primitives: GF(2^128), bit matrices, scalars, points, DLog proofs,
// domain-separated hashing and Shamir polynomials. Random inputs come from node:crypto.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes as nodeRandomBytes, randomInt } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { GfMultiplier, gfMul, wordsToBytes } from '../../src/tss/ot/gf128.ts';
import { bit, transpose } from '../../src/tss/ot/bits.ts';
import {
  HALF_Q,
  Q,
  add,
  bytesToBigInt,
  decodeScalar,
  decodeScalarAt,
  encodeScalar,
  encodeScalarInto,
  inv,
  mod,
  mul,
  randomScalar,
  randomScalarsEncoded,
  read256,
  reduce,
  reduce256,
  viewOf,
  write256,
} from '../../src/tss/math/scalar.ts';
import { G, Point, decodePoint, encodePoint, mulBase, scaledEquals, verifyEcdsa } from '../../src/tss/math/point.ts';
import { backends, curve } from '../../src/tss/math/secp256k1.ts';
import { proveDlog, verifyDlog, type DlogProof } from '../../src/tss/math/dlog.ts';
import { Hasher, equalBytes, expand, hash } from '../../src/tss/hash.ts';
import { evaluate, evaluateCommitment, lagrangeAtZero, randomPolynomial } from '../../src/tss/math/polynomial.ts';
import { TssError, type TssErrorCode } from '../../src/tss/errors.ts';

const rand = (n: number): Uint8Array => new Uint8Array(nodeRandomBytes(n));
const randInt = (min: number, max: number): number => randomInt(min, max);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

/** Asserts that fn throws a TssError with the given code (and party / ban when given). */
function assertTssError(fn: () => unknown, code: TssErrorCode, expect: { party?: number; ban?: boolean } = {}): TssError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, `expected a TssError ${code}, nothing was thrown`);
  assert.ok(caught instanceof TssError, `expected a TssError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `wrong code (message: ${caught.message})`);
  if ('party' in expect) assert.equal(caught.party, expect.party, 'wrong party');
  if ('ban' in expect) assert.equal(caught.ban, expect.ban, 'wrong ban flag');
  return caught;
}

// ---------------------------------------------------------------------------------------------
// GF(2^128)

/** Independent reference: little-endian bit order (bit k of byte i = X^(8i+k)), bigint carry-less product. */
function gfRef(a: Uint8Array, b: Uint8Array): Uint8Array {
  const toBig = (v: Uint8Array) => BigInt('0x' + (hex(Uint8Array.from(v).reverse()) || '0'));
  const x = toBig(a);
  const y = toBig(b);
  let p = 0n;
  for (let i = 0n; i < 128n; i++) if ((y >> i) & 1n) p ^= x << i;
  const modulus = (1n << 128n) | 0x87n;
  for (let i = 254n; i >= 128n; i--) if ((p >> i) & 1n) p ^= modulus << (i - 128n);
  return Uint8Array.from(fromHex(p.toString(16).padStart(32, '0')).reverse());
}

const xor16 = (a: Uint8Array, b: Uint8Array): Uint8Array => a.map((v, i) => v ^ b[i]);
const ONE = (() => {
  const one = new Uint8Array(16);
  one[0] = 1;
  return one;
})();

describe('GF(2^128)', () => {
  it('known answer: X^127 * X = X^7 + X^2 + X + 1 (0x87 then 15 zero bytes)', () => {
    const a = new Uint8Array(16);
    a[15] = 0x80;
    const b = new Uint8Array(16);
    b[0] = 0x02;
    assert.equal(hex(gfMul(a, b)), '87' + '00'.repeat(15));
    assert.equal(hex(gfMul(b, a)), '87' + '00'.repeat(15));
  });

  it('known answer: (01 02 .. 10) * (f0 ef .. e1)', () => {
    const a = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const b = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 - i);
    assert.equal(hex(b), 'f0efeeedecebeae9e8e7e6e5e4e3e2e1');
    assert.equal(hex(gfMul(a, b)), '78e56e6ed65a9652cc93cf1b772f3727');
  });

  it('the reference implementation used below reproduces both known answers', () => {
    const a = new Uint8Array(16);
    a[15] = 0x80;
    const b = new Uint8Array(16);
    b[0] = 0x02;
    assert.equal(hex(gfRef(a, b)), '87' + '00'.repeat(15));
    assert.equal(hex(gfRef(Uint8Array.from({ length: 16 }, (_, i) => i + 1), Uint8Array.from({ length: 16 }, (_, i) => 0xf0 - i))), '78e56e6ed65a9652cc93cf1b772f3727');
  });

  it('agrees with an independent bigint implementation on random inputs', () => {
    for (let i = 0; i < 200; i++) {
      const a = rand(16);
      const b = rand(16);
      assert.equal(hex(gfMul(a, b)), hex(gfRef(a, b)), `a=${hex(a)} b=${hex(b)}`);
    }
  });

  it('is commutative, associative and distributive over XOR; 1 is neutral, 0 absorbs', () => {
    const zero = new Uint8Array(16);
    for (let i = 0; i < 100; i++) {
      const [a, b, c] = [rand(16), rand(16), rand(16)];
      assert.deepEqual(gfMul(a, b), gfMul(b, a));
      assert.deepEqual(gfMul(gfMul(a, b), c), gfMul(a, gfMul(b, c)));
      assert.deepEqual(gfMul(a, xor16(b, c)), xor16(gfMul(a, b), gfMul(a, c)));
      assert.deepEqual(gfMul(a, ONE), a);
      assert.deepEqual(gfMul(ONE, a), a);
      assert.deepEqual(gfMul(a, zero), zero);
    }
  });

  it('GfMultiplier.mulAdd XORs a*e into the accumulator and honours the offset', () => {
    for (let i = 0; i < 50; i++) {
      const e = rand(16);
      const m = new GfMultiplier(e);
      const start = rand(16);
      const acc = new Uint32Array(new Uint8Array(start).buffer); // little-endian host: byte view == word layout
      const off = randInt(0, 48);
      const buf = rand(64);
      const a = buf.slice(off, off + 16);
      m.mulAdd(acc, buf, off);
      assert.deepEqual(wordsToBytes(acc), xor16(start, gfMul(a, e)));
      // Accumulating the same product twice cancels.
      m.mulAdd(acc, buf, off);
      assert.deepEqual(wordsToBytes(acc), start);
    }
  });

  it('GfMultiplier accepts an element that is a view into a larger buffer', () => {
    const big = rand(64);
    const e = big.subarray(7, 23);
    const a = rand(16);
    const acc = new Uint32Array(4);
    new GfMultiplier(e).mulAdd(acc, a, 0);
    assert.deepEqual(wordsToBytes(acc), gfRef(a, e.slice()));
  });
});

// ---------------------------------------------------------------------------------------------
// Bit matrices

function naiveTranspose(input: Uint8Array, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array((cols * rows) / 8);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = (input[r * (cols / 8) + (c >> 3)] >> (c & 7)) & 1;
      out[c * (rows / 8) + (r >> 3)] |= v << (r & 7);
    }
  }
  return out;
}

describe('bit matrices', () => {
  it('bit(v, i) reads bit i&7 of byte i>>3, least significant first', () => {
    const v = Uint8Array.from([0b00000001, 0b10000000, 0b00010010]);
    const bits = Array.from({ length: 24 }, (_, i) => bit(v, i));
    assert.deepEqual(bits, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0]);
    const r = rand(32);
    for (let i = 0; i < 256; i++) assert.equal(bit(r, i), (r[Math.floor(i / 8)] >> (i % 8)) & 1);
  });

  for (const [rows, cols] of [[8, 8], [16, 24], [24, 16], [256, 640], [640, 256]] as const) {
    it(`transpose ${rows}x${cols} matches a bit-by-bit transpose and is an involution`, () => {
      for (let i = 0; i < 3; i++) {
        const m = rand((rows * cols) / 8);
        const t = transpose(m, rows, cols);
        assert.equal(t.length, m.length);
        assert.deepEqual(t, naiveTranspose(m, rows, cols));
        assert.deepEqual(transpose(t, cols, rows), m);
      }
    });
  }

  it('transpose moves a single set bit (r, c) to (c, r)', () => {
    const rows = 16;
    const cols = 24;
    for (let i = 0; i < 40; i++) {
      const r = randInt(0, rows);
      const c = randInt(0, cols);
      const m = new Uint8Array((rows * cols) / 8);
      m[r * (cols / 8) + (c >> 3)] = 1 << (c & 7);
      const t = transpose(m, rows, cols);
      const setBits: number[] = [];
      for (let k = 0; k < rows * cols; k++) if (bit(t, k)) setBits.push(k);
      assert.deepEqual(setBits, [c * rows + r]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Scalars

describe('scalars', () => {
  const TWO_256_MINUS_1 = (1n << 256n) - 1n;

  it('Q is the secp256k1 group order', () => {
    assert.equal(Q, 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n);
    assert.equal(HALF_Q, Q / 2n);
  });

  it('decodeScalar rejects a wrong length, undefined, q, 2^256-1 and (with nonZero) zero', () => {
    assertTssError(() => decodeScalar(new Uint8Array(31), 'x', 3), 'INVALID_SCALAR', { party: 3 });
    assertTssError(() => decodeScalar(new Uint8Array(33), 'x', 3), 'INVALID_SCALAR', { party: 3 });
    assertTssError(() => decodeScalar(new Uint8Array(0), 'x'), 'INVALID_SCALAR');
    assertTssError(() => decodeScalar(undefined, 'x', 4), 'INVALID_SCALAR', { party: 4 });
    assertTssError(() => decodeScalar(encodeScalar(Q), 'x', 5), 'INVALID_SCALAR', { party: 5 });
    assertTssError(() => decodeScalar(encodeScalar(Q + 1n), 'x'), 'INVALID_SCALAR');
    assertTssError(() => decodeScalar(encodeScalar(TWO_256_MINUS_1), 'x', 6), 'INVALID_SCALAR', { party: 6 });
    assertTssError(() => decodeScalar(new Uint8Array(32), 'x', 7, true), 'INVALID_SCALAR', { party: 7 });
    // Boundary values that are valid.
    assert.equal(decodeScalar(new Uint8Array(32), 'x'), 0n);
    assert.equal(decodeScalar(encodeScalar(Q - 1n), 'x', 1, true), Q - 1n);
    assert.equal(decodeScalar(encodeScalar(1n), 'x', 1, true), 1n);
  });

  it('encodeScalar / decodeScalar round trip (32 bytes, big endian)', () => {
    assert.equal(hex(encodeScalar(1n)), '00'.repeat(31) + '01');
    assert.equal(hex(encodeScalar(0x0102n)), '00'.repeat(30) + '0102');
    assert.equal(encodeScalar(0n).length, 32);
    for (let i = 0; i < 100; i++) {
      const x = randomScalar();
      const b = encodeScalar(x);
      assert.equal(b.length, 32);
      assert.equal(decodeScalar(b, 'x'), x);
      assert.equal(BigInt('0x' + hex(b)), x);
    }
    const b = rand(32);
    b[0] &= 0x7f; // < 2^255 < q
    assert.deepEqual(new Uint8Array(encodeScalar(decodeScalar(b, 'x'))), b);
  });

  it('read256 / write256 / encodeScalarInto / decodeScalarAt: big-endian at any offset, edge values', () => {
    const edges = [0n, 1n, 0xffn, (1n << 64n) - 1n, 1n << 64n, (1n << 128n) + 1n, 1n << 192n, Q - 1n, Q, Q + 1n, TWO_256_MINUS_1 - 1n, TWO_256_MINUS_1];
    const values = [...edges, ...Array.from({ length: 40 }, () => BigInt('0x' + hex(rand(32))))];
    const backing = new Uint8Array(100);
    for (const start of [0, 1, 3, 6]) {
      // Views that start at unaligned byte offsets of their buffer, like protobuf-decoded fields.
      const buf = backing.subarray(start, start + 90);
      const v = viewOf(buf);
      assert.equal(v.byteLength, 90);
      for (const x of values) {
        for (const off of [0, 5, 58]) {
          const expected = x.toString(16).padStart(64, '0');
          buf.fill(0xa5);
          write256(v, off, x);
          assert.equal(hex(buf.subarray(off, off + 32)), expected);
          assert.ok(buf.subarray(0, off).every((b) => b === 0xa5) && buf.subarray(off + 32).every((b) => b === 0xa5), 'neighbours untouched');
          assert.equal(read256(v, off), x);
          assert.equal(bytesToBigInt(buf, off, 32), x);
          assert.equal(reduce(buf, off), x % Q);
          assert.equal(reduce256(x), x % Q);
          buf.fill(0x5a);
          encodeScalarInto(x, buf, off);
          assert.equal(hex(buf.subarray(off, off + 32)), expected);
          assert.equal(hex(encodeScalar(x)), expected);
          if (x < Q) {
            assert.equal(decodeScalarAt(v, off, 'x', 2), x);
          } else {
            assertTssError(() => decodeScalarAt(v, off, 'x', 2), 'INVALID_SCALAR', { party: 2 });
          }
        }
      }
    }
    assertTssError(() => decodeScalarAt(viewOf(new Uint8Array(32)), 0, 'x', 4, true), 'INVALID_SCALAR', { party: 4 });
    assert.equal(decodeScalarAt(viewOf(new Uint8Array(32)), 0, 'x', 4), 0n);
  });

  it('write256 / encodeScalar refuse values outside [0, 2^256) and out-of-bounds offsets', () => {
    const buf = new Uint8Array(40);
    const v = viewOf(buf);
    assert.throws(() => write256(v, 0, -1n), RangeError);
    assert.throws(() => write256(v, 0, 1n << 256n), RangeError);
    assert.throws(() => encodeScalar(-1n), RangeError);
    assert.throws(() => encodeScalar(TWO_256_MINUS_1 + 1n), RangeError);
    assert.throws(() => encodeScalarInto(1n, buf, 9), RangeError);
    assert.throws(() => read256(v, 9), RangeError);
    assert.ok(buf.every((b) => b === 0), 'nothing written by a refused call');
  });

  it('bytesToBigInt handles lengths other than 32', () => {
    assert.equal(bytesToBigInt(new Uint8Array(0)), 0n);
    assert.equal(bytesToBigInt(fromHex('0102030405')), 0x0102030405n);
    assert.equal(bytesToBigInt(fromHex('ff0102030405'), 1, 3), 0x010203n);
    const b = rand(33);
    assert.equal(bytesToBigInt(b), BigInt('0x' + hex(b)));
  });

  it('inv(a) * a = 1 and inv(0) throws', () => {
    for (let i = 0; i < 50; i++) {
      const a = randomScalar();
      assert.equal(mul(inv(a), a), 1n);
    }
    assert.equal(inv(1n), 1n);
    assert.equal(mul(inv(Q - 1n), Q - 1n), 1n);
    assert.equal(mul(inv(2n), 2n), 1n);
    assertTssError(() => inv(0n), 'INVALID_SCALAR');
    assertTssError(() => inv(Q), 'INVALID_SCALAR');
  });

  it('reduce maps q to 0, 2^256-1 to 2^256-1-q, and leaves values below q alone', () => {
    assert.equal(reduce(encodeScalar(Q)), 0n);
    assert.equal(reduce(encodeScalar(Q + 5n)), 5n);
    assert.equal(reduce(encodeScalar(TWO_256_MINUS_1)), TWO_256_MINUS_1 - Q);
    assert.ok(TWO_256_MINUS_1 - Q < Q);
    assert.equal(reduce(encodeScalar(Q - 1n)), Q - 1n);
    // Offset form reads 32 bytes at the offset.
    const buf = new Uint8Array(70);
    buf.set(encodeScalar(Q + 9n), 17);
    assert.equal(reduce(buf, 17), 9n);
    for (let i = 0; i < 100; i++) {
      const b = rand(32);
      assert.equal(reduce(b), BigInt('0x' + hex(b)) % Q);
    }
  });

  it('mod / add handle negatives and wrap around q', () => {
    assert.equal(mod(-1n), Q - 1n);
    assert.equal(mod(Q), 0n);
    assert.equal(add(Q - 1n, 2n), 1n);
  });

  it('randomScalar is in [1, q) and not constant', () => {
    const seen = new Set<bigint>();
    for (let i = 0; i < 200; i++) {
      const x = randomScalar();
      assert.ok(x > 0n && x < Q);
      seen.add(x);
    }
    assert.equal(seen.size, 200);
  });

  it('randomScalarsEncoded gives count distinct 32-byte scalars in [1, q)', () => {
    const xs = randomScalarsEncoded(300);
    assert.equal(xs.length, 300);
    const seen = new Set<bigint>();
    for (const b of xs) {
      assert.equal(b.length, 32);
      const x = bytesToBigInt(b);
      assert.ok(x > 0n && x < Q);
      seen.add(x);
    }
    assert.equal(seen.size, 300);
  });
});

// ---------------------------------------------------------------------------------------------
// Points

/** A 33-byte 0x02-prefixed string whose x is not the x-coordinate of any curve point. */
function notOnCurve(): Uint8Array {
  for (let x = 1n; ; x++) {
    const b = new Uint8Array(33);
    b[0] = 2;
    b.set(encodeScalar(x), 1);
    try {
      Point.fromBytes(b);
    } catch {
      return b;
    }
  }
}

describe('points', () => {
  it('decodePoint accepts valid compressed points and rejects malformed ones', () => {
    const p = G.multiply(randomScalar());
    assert.ok(decodePoint(p.toBytes(true), 'p', 1).equals(p));
    assert.ok(decodePoint(G.toBytes(true), 'p').equals(G));

    const bad: [string, Uint8Array][] = [
      ['33 zero bytes (identity in the reference encoding)', new Uint8Array(33)],
      ['prefix 04 with 33 bytes', Uint8Array.from([4, ...p.toBytes(true).subarray(1)])],
      ['prefix 00 with a valid x', Uint8Array.from([0, ...p.toBytes(true).subarray(1)])],
      ['x not on the curve', notOnCurve()],
      ['x = 2^256 - 1 (>= p)', Uint8Array.from([2, ...new Uint8Array(32).fill(0xff)])],
      ['32 bytes', p.toBytes(true).subarray(0, 32)],
      ['34 bytes', Uint8Array.from([...p.toBytes(true), 0])],
      ['65-byte uncompressed', p.toBytes(false)],
      ['empty', new Uint8Array(0)],
    ];
    for (const [name, b] of bad) {
      const e = assertTssError(() => decodePoint(b, 'p', 9), 'INVALID_POINT', { party: 9 });
      assert.ok(e.message.length > 0, name);
    }
    assertTssError(() => decodePoint(undefined, 'p', 2), 'INVALID_POINT', { party: 2 });
  });

  it('encodePoint gives 33 bytes and refuses the identity', () => {
    const p = G.multiply(randomScalar());
    assert.deepEqual(encodePoint(p), p.toBytes(true));
    assert.equal(encodePoint(p).length, 33);
    assertTssError(() => encodePoint(Point.ZERO), 'INVALID_POINT');
  });

  it('mulBase and scaledEquals agree with noble multiply', () => {
    for (let i = 0; i < 20; i++) {
      const k = randomScalar();
      assert.ok(mulBase(k).equals(G.multiply(k)));
      const x = G.multiply(randomScalar());
      const b = randomScalar();
      const y = x.multiply(k).subtract(G.multiply(b)); // k*X = Y + b*G
      assert.ok(scaledEquals(x, k, b, y));
      assert.ok(scaledEquals(x, k, 0n, x.multiply(k)));
      assert.ok(!scaledEquals(x, k, b, y.add(G)));
      assert.ok(!scaledEquals(x, add(k, 1n), b, y));
      assert.ok(!scaledEquals(x, 0n, b, y));
    }
    assert.ok(mulBase(1n).equals(G));
    assert.ok(mulBase(Q - 1n).equals(G.negate()));
    // Out-of-range secrets are refused before libsecp256k1 sees them.
    assertTssError(() => mulBase(0n), 'INVALID_SCALAR');
    assertTssError(() => mulBase(Q), 'INVALID_SCALAR');
  });

  it('the native and WebAssembly builds of libsecp256k1 agree on every operation', () => {
    const builds = backends();
    let offCurve: Uint8Array;
    for (;;) {
      offCurve = Uint8Array.from([2, ...rand(32)]);
      try {
        Point.fromBytes(offCurve);
      } catch {
        break; // x has no y on the curve
      }
    }
    assert.equal(builds[builds.length - 1].name, 'wasm');
    assert.ok(['native', 'wasm'].includes(curve.name));
    for (let i = 0; i < 10; i++) {
      const k = encodeScalar(randomScalar());
      const p = G.multiply(randomScalar());
      const unc = p.toBytes(false);
      const cmp = p.toBytes(true);
      const digest = rand(32);
      const sk = secp256k1.utils.randomSecretKey();
      const sig = secp256k1.sign(digest, sk, { prehash: false });
      for (const c of builds) {
        assert.deepEqual(c.mulBase(k, false), G.multiply(bytesToBigInt(k, 0, 32)).toBytes(false), c.name);
        assert.deepEqual(c.mulBase(k, true), G.multiply(bytesToBigInt(k, 0, 32)).toBytes(true), c.name);
        assert.deepEqual(c.mulSecret(cmp, k), p.multiply(bytesToBigInt(k, 0, 32)).toBytes(false), c.name);
        assert.deepEqual(c.mulPublic(unc, k), p.multiply(bytesToBigInt(k, 0, 32)).toBytes(false), c.name);
        assert.deepEqual(c.convert(cmp, false), unc, c.name);
        assert.deepEqual(c.convert(unc, true), cmp, c.name);
        assert.deepEqual(c.add(unc, cmp, true), p.double().toBytes(true), c.name);
        assert.equal(c.add(unc, p.negate().toBytes(false), true), null, `${c.name}: P + (-P)`);
        assert.ok(c.isPoint(cmp) && c.isPoint(unc), c.name);
        assert.equal(c.isPoint(offCurve), false, c.name);
        assert.throws(() => c.convert(offCurve, false), c.name); // and the build still works after:
        assert.deepEqual(c.convert(cmp, false), unc, c.name);
        assert.ok(c.verify(digest, secp256k1.getPublicKey(sk, false), sig), c.name);
        const bad = sig.slice();
        bad[40] ^= 1;
        assert.equal(c.verify(digest, secp256k1.getPublicKey(sk, false), bad), false, c.name);
        const recovered = secp256k1.sign(digest, sk, { prehash: false, format: 'recovered' });
        assert.deepEqual(c.recover(digest, recovered.subarray(1), recovered[0] as 0 | 1), secp256k1.getPublicKey(sk, false), c.name);
        assert.notDeepEqual(c.recover(digest, recovered.subarray(1), (1 - recovered[0]) as 0 | 1), secp256k1.getPublicKey(sk, false), c.name);
        assert.equal(c.recover(digest, new Uint8Array(64), 0), null, `${c.name}: r = s = 0`);
      }
    }
  });

  it('verifyEcdsa accepts a noble (low-s) signature and rejects modified ones', () => {
    for (let i = 0; i < 5; i++) {
      const sk = secp256k1.utils.randomSecretKey();
      const pk = secp256k1.getPublicKey(sk, true);
      const digest = rand(32);
      const sig = secp256k1.sign(digest, sk, { prehash: false });
      assert.equal(sig.length, 64);
      assert.ok(verifyEcdsa(digest, pk, sig));
      assert.ok(verifyEcdsa(digest, secp256k1.getPublicKey(sk, false), sig), 'uncompressed key');

      const otherDigest = digest.slice();
      otherDigest[randInt(0, 32)] ^= 1 << randInt(0, 8);
      assert.equal(verifyEcdsa(otherDigest, pk, sig), false, 'other digest');

      const sigR = sig.slice();
      sigR[randInt(0, 32)] ^= 1 << randInt(0, 8);
      assert.equal(verifyEcdsa(digest, pk, sigR), false, 'modified r');

      const sigS = sig.slice();
      sigS[32 + randInt(0, 32)] ^= 1 << randInt(0, 8);
      assert.equal(verifyEcdsa(digest, pk, sigS), false, 'modified s');

      const otherPk = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true);
      assert.equal(verifyEcdsa(digest, otherPk, sig), false, 'other key');

      // The high-s twin (q - s) is a valid signature for noble with lowS: false, but not here.
      const s = BigInt('0x' + hex(sig.subarray(32)));
      const high = Uint8Array.from([...sig.subarray(0, 32), ...encodeScalar(Q - s)]);
      assert.ok(secp256k1.verify(high, digest, pk, { prehash: false, lowS: false }));
      assert.equal(verifyEcdsa(digest, pk, high), false, 'high s');

      assert.equal(verifyEcdsa(digest, new Uint8Array(33), sig), false, 'invalid key');
      assert.equal(verifyEcdsa(digest, notOnCurve(), sig), false, 'key not on curve');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// DLog proofs

describe('DLog proofs', () => {
  const u32be = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    return b;
  };
  const session = rand(32);
  const context = [session, u32be(2), u32be(0)];
  const x = randomScalar();
  const X = mulBase(x);
  const proof = proveDlog(context, x, X);

  it('a proof verifies, and its parts have the wire sizes', () => {
    assert.equal(proof.t.length, 33);
    assert.equal(proof.s.length, 32);
    verifyDlog(context, X, proof, 2);
    verifyDlog(context.map((c) => c.slice()), X, { t: proof.t.slice(), s: proof.s.slice() }, 2);
  });

  it('fails with INVALID_PROOF for another context (session, party, index)', () => {
    const otherSession = session.slice();
    otherSession[randInt(0, 32)] ^= 1;
    for (const ctx of [
      [otherSession, u32be(2), u32be(0)],
      [session, u32be(3), u32be(0)],
      [session, u32be(2), u32be(1)],
      [session, u32be(2)],
      [session, u32be(2), u32be(0), new Uint8Array(0)],
      [],
    ]) {
      assertTssError(() => verifyDlog(ctx, X, proof, 2), 'INVALID_PROOF', { party: 2 });
    }
  });

  it('fails with INVALID_PROOF for another statement', () => {
    assertTssError(() => verifyDlog(context, X.add(G), proof, 2), 'INVALID_PROOF', { party: 2 });
    assertTssError(() => verifyDlog(context, mulBase(randomScalar()), proof, 2), 'INVALID_PROOF', { party: 2 });
    // A proof for x does not prove knowledge of the log of a multiple of X either.
    assertTssError(() => verifyDlog(context, X.double(), proof, 2), 'INVALID_PROOF', { party: 2 });
  });

  it('fails with INVALID_PROOF for a modified t or s (still well-formed)', () => {
    const t2 = Point.fromBytes(proof.t).add(G).toBytes(true);
    assertTssError(() => verifyDlog(context, X, { t: t2, s: proof.s }, 2), 'INVALID_PROOF', { party: 2 });
    const tNeg = Point.fromBytes(proof.t).negate().toBytes(true); // flips only the prefix byte
    assertTssError(() => verifyDlog(context, X, { t: tNeg, s: proof.s }, 2), 'INVALID_PROOF', { party: 2 });
    const s = decodeScalar(proof.s, 's');
    for (const s2 of [add(s, 1n), mod(s - 1n), 0n, mod(-s)]) {
      assertTssError(() => verifyDlog(context, X, { t: proof.t, s: encodeScalar(s2) }, 2), 'INVALID_PROOF', { party: 2 });
    }
    // A proof for another secret with the same context is not a proof for X.
    const other: DlogProof = proveDlog(context, randomScalar(), X);
    assertTssError(() => verifyDlog(context, X, other, 2), 'INVALID_PROOF', { party: 2 });
  });

  it('an out-of-range s gives INVALID_SCALAR; identity or garbage t gives INVALID_POINT; a missing proof INVALID_PROOF', () => {
    assertTssError(() => verifyDlog(context, X, { t: proof.t, s: encodeScalar(Q) }, 2), 'INVALID_SCALAR', { party: 2 });
    assertTssError(() => verifyDlog(context, X, { t: proof.t, s: new Uint8Array(32).fill(0xff) }, 2), 'INVALID_SCALAR', { party: 2 });
    assertTssError(() => verifyDlog(context, X, { t: proof.t, s: proof.s.subarray(1) }, 2), 'INVALID_SCALAR', { party: 2 });
    assertTssError(() => verifyDlog(context, X, { t: proof.t }, 2), 'INVALID_SCALAR', { party: 2 });
    assertTssError(() => verifyDlog(context, X, { t: new Uint8Array(33), s: proof.s }, 2), 'INVALID_POINT', { party: 2 });
    assertTssError(() => verifyDlog(context, X, { t: notOnCurve(), s: proof.s }, 2), 'INVALID_POINT', { party: 2 });
    assertTssError(() => verifyDlog(context, X, { t: rand(33).fill(4, 0, 1), s: proof.s }, 2), 'INVALID_POINT', { party: 2 });
    assertTssError(() => verifyDlog(context, X, { s: proof.s }, 2), 'INVALID_POINT', { party: 2 });
    assertTssError(() => verifyDlog(context, X, null, 2), 'INVALID_PROOF', { party: 2 });
    assertTssError(() => verifyDlog(context, X, undefined, 2), 'INVALID_PROOF', { party: 2 });
  });
});

// ---------------------------------------------------------------------------------------------
// Hashing

describe('domain-separated hashing', () => {
  const a = utf8('a');
  const b = utf8('b');
  const c = utf8('c');
  const ab = utf8('ab');
  const bc = utf8('bc');

  it('hash is SHA-256 over the length-prefixed versioned domain and parts', () => {
    const u32be = (n: number) => {
      const r = Buffer.alloc(4);
      r.writeUInt32BE(n);
      return r;
    };
    const domain = 'test/domain';
    const parts = [rand(5), new Uint8Array(0), rand(40)];
    const label = Buffer.from('dan-node/tss/v1/' + domain);
    const h = createHash('sha256').update(u32be(label.length)).update(label);
    for (const p of parts) h.update(u32be(p.length)).update(p);
    assert.equal(hex(hash(domain, ...parts)), h.digest('hex'));
    const x = createHash('shake256', { outputLength: 77 }).update(u32be(label.length)).update(label);
    for (const p of parts) x.update(u32be(p.length)).update(p);
    assert.equal(hex(expand(domain, 77, ...parts)), x.digest('hex'));
  });

  it('separates domains and part boundaries', () => {
    const outputs = new Map<string, string>();
    const record = (name: string, v: Uint8Array) => {
      const h = hex(v);
      for (const [other, oh] of outputs) assert.notEqual(h, oh, `${name} collides with ${other}`);
      outputs.set(name, h);
    };
    record("hash('d', ab, c)", hash('d', ab, c));
    record("hash('d', a, bc)", hash('d', a, bc));
    record("hash('d', abc)", hash('d', utf8('abc')));
    record("hash('e', ab, c)", hash('e', ab, c));
    record("hash('d')", hash('d'));
    record("hash('d', empty)", hash('d', new Uint8Array(0)));
    record("hash('d', empty, empty)", hash('d', new Uint8Array(0), new Uint8Array(0)));
    record("hash('da', b)", hash('da', b));
    record("hash('d', a, b)", hash('d', a, b));
    record("hash('d', b, a)", hash('d', b, a));
    // The domain itself is length-prefixed: domain 'ab' + part 'c' != domain 'a' + part 'bc'.
    record("hash('ab', c)", hash('ab', c));
    record("hash('a', bc)", hash('a', bc));
    assert.notEqual(hex(expand('d', 32, ab, c)), hex(expand('d', 32, a, bc)));
    assert.notEqual(hex(expand('d', 32, ab, c)), hex(expand('e', 32, ab, c)));
    assert.notEqual(hex(expand('d', 32, ab, c)), hex(hash('d', ab, c)), 'SHAKE256 and SHA-256 outputs differ');
  });

  it('hash is deterministic and expand returns the requested length', () => {
    const p = rand(50);
    assert.deepEqual(hash('d', p), hash('d', p.slice()));
    for (const n of [0, 1, 16, 33, 96, 1000]) assert.equal(expand('d', n, p).length, n);
    // SHAKE is an XOF: a longer output extends a shorter one.
    assert.deepEqual(expand('d', 100, p).subarray(0, 40), expand('d', 40, p));
  });

  it('Hasher streams the same value as hash / expand', () => {
    const parts = [rand(10), rand(0), rand(200)];
    const h = new Hasher('d');
    for (const p of parts) h.update(p);
    assert.deepEqual(h.digest(), hash('d', ...parts));
    const x = new Hasher('d', 64);
    for (const p of parts) x.update(p);
    assert.deepEqual(x.digest(), expand('d', 64, ...parts));
  });

  it('equalBytes compares contents and lengths without throwing', () => {
    const v = rand(32);
    assert.equal(equalBytes(v, v.slice()), true);
    assert.equal(equalBytes(new Uint8Array(0), new Uint8Array(0)), true);
    for (let i = 0; i < 32; i++) {
      const w = v.slice();
      w[i] ^= 0x80;
      assert.equal(equalBytes(v, w), false);
    }
    assert.equal(equalBytes(v, v.subarray(0, 31)), false);
    assert.equal(equalBytes(v.subarray(0, 31), v), false);
    assert.equal(equalBytes(v, Uint8Array.from([...v, 0])), false);
    // Views with non-zero byte offsets.
    const big = Uint8Array.from([9, ...v, 9]);
    assert.equal(equalBytes(big.subarray(1, 33), v), true);
  });
});

// ---------------------------------------------------------------------------------------------
// Polynomials

function distinctNonZero(n: number): bigint[] {
  const xs = new Set<bigint>();
  while (xs.size < n) xs.add(randomScalar());
  return [...xs];
}

function subsetsOf(n: number, k: number): number[][] {
  const out: number[][] = [];
  const walk = (start: number, acc: number[]) => {
    if (acc.length === k) return void out.push(acc);
    for (let i = start; i < n; i++) walk(i + 1, [...acc, i]);
  };
  walk(0, []);
  return out;
}

describe('polynomials', () => {
  it('randomPolynomial has t coefficients and the requested constant; evaluate(f, 0) = f(0)', () => {
    const f = randomPolynomial(4, 42n);
    assert.equal(f.length, 4);
    assert.equal(f[0], 42n);
    assert.equal(evaluate(f, 0n), 42n);
    assert.equal(evaluate([1n, 2n, 3n], 10n), 321n);
    assert.equal(evaluate([5n, 1n], Q - 1n), 4n);
  });

  for (const [t, n] of [[1, 3], [2, 3], [3, 5], [5, 7]] as const) {
    it(`Lagrange interpolation at 0 recovers f(0) from every ${t}-subset of ${n} points`, () => {
      const secret = randomScalar();
      const f = randomPolynomial(t, secret);
      const xs = distinctNonZero(n);
      const ys = xs.map((x) => evaluate(f, x));
      for (const s of subsetsOf(n, t)) {
        const sx = s.map((i) => xs[i]);
        let acc = 0n;
        s.forEach((i, k) => (acc = add(acc, mul(lagrangeAtZero(sx, k), ys[i]))));
        assert.equal(acc, secret, `subset ${s}`);
        // Same in the exponent: sum lambda_i * (f(x_i) G) = f(0) G.
        let P = Point.ZERO;
        s.forEach((i, k) => (P = P.add(G.multiply(ys[i]).multiply(lagrangeAtZero(sx, k)))));
        assert.ok(P.equals(G.multiply(secret)));
      }
      if (t > 1) {
        // t - 1 points do not determine f(0) (fails except with negligible probability).
        const sx = xs.slice(0, t - 1);
        let acc = 0n;
        sx.forEach((_, k) => (acc = add(acc, mul(lagrangeAtZero(sx, k), ys[k]))));
        assert.notEqual(acc, secret);
      }
    });
  }

  it('Lagrange coefficients at 0 for x = 1, 2, 3 are 3, -3, 1', () => {
    const xs = [1n, 2n, 3n];
    assert.deepEqual(xs.map((_, i) => lagrangeAtZero(xs, i)), [3n, Q - 3n, 1n]);
  });

  it('evaluateCommitment(F, x) = f(x) * G', () => {
    for (const t of [1, 2, 4]) {
      const f = randomPolynomial(t);
      const F = f.map((c) => mulBase(c));
      for (let i = 0; i < 5; i++) {
        const x = randomScalar();
        assert.ok(evaluateCommitment(F, x).equals(G.multiply(evaluate(f, x))));
      }
      assert.ok(evaluateCommitment(F, 0n).equals(F[0]));
      assert.ok(evaluateCommitment(F, 1n).equals(G.multiply(f.reduce((s, c) => add(s, c), 0n))));
    }
    const f = randomPolynomial(3);
    const F = f.map((c) => mulBase(c));
    const x = randomScalar();
    assert.ok(!evaluateCommitment([F[0], F[1].add(G), F[2]], x).equals(G.multiply(evaluate(f, x))));
  });
});

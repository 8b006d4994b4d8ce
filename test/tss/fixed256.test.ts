// The limb sums of math/fixed256.ts against bigint arithmetic: random values and the edges (0,
// 2^256 - 1, q - 1, q, values whose limbs carry all the way), at unaligned offsets in larger buffers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { addMasked, addendOf, subAddModQ } from '../../src/tss/math/fixed256.ts';
import { Q, read256, viewOf, write256 } from '../../src/tss/math/scalar.ts';

const MAX = (1n << 256n) - 1n;
const EDGES = [0n, 1n, Q - 1n, Q, Q + 1n, MAX, MAX - 1n, 1n << 255n, (1n << 128n) - 1n, 0xffffffffn, MAX - 0xffffffffn];
const random256 = () => read256(viewOf(randomBytes(32)), 0);
const randomBelowQ = () => random256() % Q;

/** A view of `x` at a random (possibly unaligned) offset in a larger buffer. */
function placed(x: bigint): { v: DataView; at: number } {
  const at = randomInt(0, 17);
  const v = viewOf(randomBytes(at + 32 + randomInt(0, 9)));
  write256(v, at, x);
  return { v, at };
}

describe('fixed-width sums modulo q', () => {
  it('subAddModQ: (x - y + a) mod q, canonical, for random and edge inputs', () => {
    const check = (x: bigint, y: bigint, a: bigint) => {
      const [px, py, out] = [placed(x), placed(y), placed(random256())];
      subAddModQ(out.v, out.at, px.v, px.at, py.v, py.at, addendOf(a));
      const want = (((x - y + a) % Q) + Q) % Q;
      assert.equal(read256(out.v, out.at), want, `x ${x.toString(16)} y ${y.toString(16)} a ${a.toString(16)}`);
    };
    // Every pair of edges with addends around 2c (2^256 = c mod q), where the reduction folds twice
    // (e.g. x = 2^256 - 1, y = 0, a = 1).
    const c2 = 2n * ((1n << 256n) - Q);
    for (const x of EDGES) for (const y of EDGES) for (const a of [0n, 1n, 2n, Q - 1n, Q - 2n, c2 - 1n, c2, c2 + 1n]) check(x, y, a);
    for (let n = 0; n < 2000; n++) check(random256(), random256(), randomBelowQ());
  });

  it('subAddModQ may write over one of its inputs', () => {
    const [x, y, a] = [random256(), random256(), randomBelowQ()];
    const px = placed(x);
    const py = placed(y);
    subAddModQ(px.v, px.at, px.v, px.at, py.v, py.at, addendOf(a));
    assert.equal(read256(px.v, px.at), (((x - y + a) % Q) + Q) % Q);
  });

  it('addendOf refuses values outside [0, q)', () => {
    assert.throws(() => addendOf(Q), RangeError);
    assert.throws(() => addendOf(-1n), RangeError);
  });

  it('addMasked: w + bit * a, below 2^256 and congruent mod q; flags a >= q', () => {
    const ws = [...EDGES, ...Array.from({ length: 100 }, random256)];
    const as = [0n, 1n, Q - 1n, (1n << 255n), ...Array.from({ length: 100 }, randomBelowQ)];
    for (let n = 0; n < 3000; n++) {
      const w = ws[n % ws.length];
      const a = as[randomInt(as.length)];
      const bit = n & 1;
      const [pw, pa, out] = [placed(w), placed(a), placed(random256())];
      assert.equal(addMasked(out.v, out.at, pw.v, pw.at, pa.v, pa.at, bit), 0, 'a < q is canonical');
      const got = read256(out.v, out.at);
      assert.equal(got % Q, (w + BigInt(bit) * a) % Q, `w ${w.toString(16)} a ${a.toString(16)} bit ${bit}`);
      if (w + BigInt(bit) * a <= MAX) assert.equal(got, w + BigInt(bit) * a, 'no fold when the sum fits');
    }
    for (const a of [Q, Q + 1n, MAX, Q + (1n << 100n)]) {
      for (const bit of [0, 1]) {
        const [pw, pa, out] = [placed(random256()), placed(a), placed(0n)];
        assert.equal(addMasked(out.v, out.at, pw.v, pw.at, pa.v, pa.at, bit), 1, `a = ${a.toString(16)} is flagged (bit ${bit})`);
      }
    }
  });
});

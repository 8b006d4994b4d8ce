// FastLZ (solady LibZip) port used for the pre-v1 Smart Sessions USE signature: round trips, and
// compressed ABI-encoded signatures are shorter than the input, and known vectors from solady.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { bytesToHex, encodeAbiParameters, type Hex } from 'viem';
import { flzCompress, flzDecompress } from '../../src/devchain/flz.ts';

describe('flzCompress / flzDecompress', () => {
  it('round-trips random, sparse and repetitive data', () => {
    const inputs: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(1), Uint8Array.of(1, 2, 3, 4, 5), new Uint8Array(1000), new Uint8Array(70_000).fill(7)];
    for (let i = 0; i < 300; i++) {
      const len = (i * 37) % 1500;
      const r = randomBytes(len);
      inputs.push(i % 2 ? r : r.map((x) => (x < 200 ? 0 : x % 5)));
    }
    for (const d of inputs) assert.equal(flzDecompress(flzCompress(d)), bytesToHex(d));
  });

  it('compresses abi.encode(bytes sig65) (160 bytes) to well under its size', () => {
    const sig = bytesToHex(randomBytes(65));
    const encoded: Hex = encodeAbiParameters([{ type: 'bytes' }], [sig]);
    const c = flzCompress(encoded);
    assert.equal(flzDecompress(c), encoded);
    assert.ok((c.length - 2) / 2 < 110, `compressed to ${(c.length - 2) / 2} bytes`);
  });

  it('gives the same bytes as solady (vectors computed with solady js/solady.js LibZip.flzCompress)', () => {
    assert.equal(flzCompress(`0x${'00'.repeat(32)}01`), '0x02000000e01000040000000001');
    const encoded = encodeAbiParameters([{ type: 'bytes' }], [`0x${'11'.repeat(32)}${'22'.repeat(32)}1b`]);
    assert.equal(flzCompress(encoded), '0x02000000e013000020e0131c2000014111e016000022e01600001b2044e00e00040000000000');
  });
});

// FastLZ (solady LibZip): known answers computed with solady's own JavaScript (js/solady.js LibZip.flzCompress,
// commit c9e7f53b76fde50ae0f4f9d4b858c1f189aecbd8, run from a scratch copy, not part of this repository),
// round trips on random and repetitive inputs, and the strict decompressor's refusals.
// The inputs below are generated deterministically from keccak256 so the pinned answers can be recomputed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { bytesToHex, encodeAbiParameters, hexToBytes, keccak256, stringToBytes, type Hex } from 'viem';
import { ChainError, flzCompress, flzDecompress } from '../../src/chain/index.ts';

function stream(label: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let i = 0;
  let k = 0;
  while (i < n) {
    for (const b of hexToBytes(keccak256(stringToBytes(`${label}:${k++}`)))) if (i < n) out[i++] = b;
  }
  return out;
}

/** Random literal blocks and back-references up to 9000 bytes back (beyond FastLZ's 8191 window). */
function blocks(label: string, n: number): Uint8Array {
  const r = stream(label, n * 4);
  const b = new Uint8Array(n);
  let i = 0;
  let j = 0;
  while (i < n) {
    const kind = r[j++] % 4;
    const len = 3 + (r[j++] % 38);
    if (kind === 0 || i < 64) {
      for (let k = 0; k < len && i < n; k++) b[i++] = r[j++];
    } else {
      const dist = 1 + (((r[j++] << 8) | r[j++]) % Math.min(i, 9000));
      for (let k = 0; k < len && i < n; k++, i++) b[i] = b[i - dist];
    }
  }
  return b;
}

/** Mostly zero bytes, like ABI-encoded data. */
function sparse(label: string, n: number): Uint8Array {
  const r = stream(label, 2 * n);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = r[2 * i] % 8 === 0 ? r[2 * i + 1] : 0;
  return b;
}

const SIG = `0x${'a1b2c3d4e5f60718'.repeat(8)}1b` as Hex;
const STUB = '0xc6991f0c1085ecb1b6e8eee1f0e9e43b7f1a75d6d5f46e719f4bf2db7cd1c7164a87dd3dbb390d3272bf4190382598f1cccdcfd18054c2160a2b7229265660621c' as Hex;

// [name, input, compressed length, compressed hex (short) or keccak256 of it (long)] from solady.js.
// The sparse and blocks cases are ones where an exact-integer port of the hash (Math.imul, unsigned
// shift) compresses differently from solady.js: they pin the byte-for-byte parity.
const KNOWN: [string, Uint8Array, number, Hex][] = [
  ['empty', new Uint8Array(0), 0, '0x'],
  ['hello', stringToBytes('hello, world'), 13, '0x0b68656c6c6f2c20776f726c64'],
  ['1000 zero bytes', new Uint8Array(1000), 22, '0x02000000e0fd00e0fd00e0fd00e0c500040000000000'],
  ['abi.encode(bytes sig)', hexToBytes(encodeAbiParameters([{ type: 'bytes' }], [SIG])), 40, '0x02000000e013000020e0131c20000841a1b2c3d4e5f60718e02f07001b2044e00e00040000000000'],
  [
    'abi.encode(bytes stub)',
    hexToBytes(encodeAbiParameters([{ type: 'bytes' }], [STUB])),
    94,
    '0x02000000e013000020e0131c20001f41c6991f0c1085ecb1b6e8eee1f0e9e43b7f1a75d6d5f46e719f4bf2db7cd1c71f164a87dd3dbb390d3272bf4190382598f1cccdcfd18054c2160a2b722926566001621c2044e00e00040000000000',
  ],
  [
    'repeated text',
    stringToBytes('The quick brown fox jumps over the lazy dog. '.repeat(12)),
    62,
    '0x1f54686520717569636b2062726f776e20666f78206a756d7073206f76657220740d6865206c617a7920646f672e2054200de0fd2ce0d72c04646f672e20',
  ],
  ['random 300', stream('random', 300), 310, '0x8940896896b23d59ce6f77b118fceed85733672dcb0adc4a3607830ba770de81'],
  ['sparse 5000', sparse('sparse', 5000), 2142, '0xb1b784ff4fcb7b0e24d378dba31b8ba97f2da7c7e264d13416ab47ac08c5ae4b'],
  ['blocks 400', blocks('blocks1', 400), 174, '0x10e53834a4a2a2ed51d0e199f02d08328ef49d4316f1549b871ea925dc9514fc'],
  ['blocks 3000', blocks('blocks2', 3000), 1288, '0xc8ea85feef2b64dd4ffb04b7cf294449c554b24cab1db35cc1decff2868f0687'],
  ['blocks 20000', blocks('blocks3', 20000), 9455, '0x9041180603321edc9bfbca67462851269a603040e682fb76664546a4dbc17c44'],
];

function invalid(data: Hex, message: RegExp, maxLength?: number) {
  assert.throws(
    () => flzDecompress(data, { maxLength }),
    (e: unknown) => {
      assert.ok(e instanceof ChainError, `not a ChainError: ${e}`);
      assert.equal(e.code, 'INVALID_COMPRESSED_DATA');
      assert.match(e.message, message);
      return true;
    },
  );
}

describe('flzCompress known answers (solady.js)', () => {
  for (const [name, input, length, expected] of KNOWN) {
    it(name, () => {
      const out = flzCompress(bytesToHex(input));
      assert.equal((out.length - 2) / 2, length);
      assert.equal(expected.length === 66 && length > 32 ? keccak256(out) : out, expected);
      assert.equal(flzDecompress(out), bytesToHex(input));
    });
  }

  it('hand-built streams decode per the format', () => {
    // literal run then a match of length 3 + 1 at distance 6 ("abcdef" then "abcd" again)
    assert.equal(flzDecompress('0x05616263646566' + '4005' as Hex), bytesToHex(stringToBytes('abcdefabcd')));
    // overlapping match: "a" then 9 + 1 copies at distance 1
    assert.equal(flzDecompress('0x0061e00100' as Hex), bytesToHex(stringToBytes('a'.repeat(11))));
  });
});

describe('flz round trips', () => {
  it('random, sparse, repetitive and block inputs of many sizes', () => {
    for (let i = 0; i < 300; i++) {
      const n = i < 100 ? i : randomInt(i < 250 ? 2000 : 40000);
      let data: Uint8Array;
      switch (i % 4) {
        case 0:
          data = new Uint8Array(randomBytes(n));
          break;
        case 1:
          data = sparse(`rt${i}`, n);
          break;
        case 2:
          data = new Uint8Array(n).fill(i & 0xff);
          break;
        default:
          data = blocks(`rt${i}`, n);
      }
      const c = flzCompress(data);
      assert.ok(c instanceof Uint8Array);
      assert.deepEqual(flzDecompress(c), data, `size ${n} kind ${i % 4}`);
    }
  });

  it('hex in gives hex out, bytes in gives bytes out, and they agree', () => {
    const data = sparse('io', 777);
    const h = flzCompress(bytesToHex(data));
    const b = flzCompress(data);
    assert.equal(h, bytesToHex(b));
    assert.equal(flzDecompress(h), bytesToHex(data));
    assert.deepEqual(flzDecompress(b), data);
    assert.equal(flzCompress('0xABCDEF' as Hex), flzCompress('0xabcdef'));
  });

  it('compresses repetitive data and expands random data by at most 1/32', () => {
    assert.ok(flzCompress(new Uint8Array(100_000)).length < 1200);
    const r = randomBytes(10_000);
    assert.ok(flzCompress(r).length <= r.length + Math.ceil(r.length / 32));
  });
});

describe('flzDecompress refusals', () => {
  it('truncated literal run', () => invalid('0x05616263', /literal run of 6 bytes at offset 0 is truncated/));
  it('truncated match token', () => invalid('0x0061' + '40' as Hex, /match token at offset 2 is truncated/));
  it('truncated long match token', () => invalid('0x0061' + 'e001' as Hex, /long match token at offset 2 is truncated/));
  it('reference before the start', () => {
    invalid('0x4000' as Hex, /back-reference/);
    invalid('0x0061' + '4001' as Hex, /points 2 bytes back with only 1/);
  });
  it('output above maxLength', () => {
    invalid(flzCompress(bytesToHex(new Uint8Array(5000))), /exceeds 4096 bytes/, 4096);
    invalid('0x1f' + '00'.repeat(32) as Hex, /exceeds 16 bytes/, 16);
  });
  it('bad hex', () => {
    assert.throws(() => flzDecompress('0x123' as Hex), (e: unknown) => e instanceof ChainError && e.code === 'INVALID_ARGUMENT');
    assert.throws(() => flzCompress('abcd' as Hex), (e: unknown) => e instanceof ChainError && e.code === 'INVALID_ARGUMENT');
  });
});

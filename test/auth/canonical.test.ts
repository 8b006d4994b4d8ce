// canonicalJson: the byte-exact JSON that signer and verifier both hash (KeyGen.policy, Query.params).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../../src/auth/index.ts';

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, writes no whitespace', () => {
    const v = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, '': 0 };
    assert.equal(canonicalJson(v), '{"":0,"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('is independent of insertion order', () => {
    const a = { x: 1, y: { p: [1, 2], q: 'q' } };
    const b = { y: { q: 'q', p: [1, 2] }, x: 1 };
    assert.equal(canonicalJson(a), canonicalJson(b));
  });

  it('orders keys by UTF-16 code units (RFC 8785), upper case before lower case', () => {
    assert.equal(canonicalJson({ b: 1, B: 2, a: 3, '\u00e9': 4, '\u{1F600}': 5, '\uFFFF': 6 }), '{"B":2,"a":3,"b":1,"é":4,"😀":5,"\uFFFF":6}');
  });

  it('escapes strings and writes numbers as JSON.stringify does', () => {
    assert.equal(canonicalJson({ s: 'a"b\\c\n\u0001' }), '{"s":"a\\"b\\\\c\\n\\u0001"}');
    assert.equal(canonicalJson([1.5, -0, 1e21, 0.1, -7]), '[1.5,0,1e+21,0.1,-7]');
    assert.equal(canonicalJson('x'), '"x"');
    assert.equal(canonicalJson(null), 'null');
    assert.equal(canonicalJson([]), '[]');
    assert.equal(canonicalJson({}), '{}');
  });

  it('omits undefined object properties, like JSON.stringify', () => {
    assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
  });

  it('accepts objects without a prototype', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.b = 1;
    o.a = 2;
    assert.equal(canonicalJson(o), '{"a":2,"b":1}');
  });

  it('refuses values that are not JSON', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    class Thing {
      x = 1;
    }
    const bad: [string, unknown][] = [
      ['bigint', { a: 1n }],
      ['undefined in an array', [1, undefined]],
      ['top-level undefined', undefined],
      ['NaN', { a: NaN }],
      ['Infinity', [Infinity]],
      ['function', { f: () => 1 }],
      ['symbol', [Symbol('s')]],
      ['Date', { d: new Date(0) }],
      ['Map', new Map()],
      ['class instance', new Thing()],
      ['typed array', { b: new Uint8Array(2) }],
      ['cycle', cyclic],
    ];
    for (const [what, v] of bad) assert.throws(() => canonicalJson(v), TypeError, what);
  });

  it('names the path of the offending value', () => {
    assert.throws(() => canonicalJson({ a: { b: [0, 1n] } }), /\$\.a\.b\[1\] is a bigint/);
  });
});

// Known-answer values of the key derivation (src/tss/protocols/derive.ts), computed independently
// (Python hashlib over the byte layout in the module header); derived keys are X + eps*G by a
// second route (noble's (1 + eps)*G for X = G); every input changes the tweak.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { TssError, deriveTweak, derivedPublicKey } from '../../src/tss/index.ts';

const G = secp256k1.Point.BASE.toBytes(true);
const owner = new Uint8Array(Buffer.from('f39fd6e51aad88f6f4ce6ab8827279cfffb92266', 'hex'));

describe('key derivation', () => {
  it('matches the known-answer tweaks', () => {
    assert.equal(deriveTweak({ network: 'dan-node', masterPublicKey: G, owner, path: '' }), 0x186db991b38ce24c1adff9d958ef5739d606dfb7d37fa7807044787ad631c17en);
    assert.equal(deriveTweak({ network: 'dan-node', masterPublicKey: G, owner, path: 'app/1' }), 0xb60c6c29ee0a7e05119b832b9722910042fd2c00bc55eb8eadf322f01ce10975n);
    assert.equal(deriveTweak({ network: 'other', masterPublicKey: G, owner, path: 'app/1' }), 0x84524792a610131b9a048df3ea425bb8b2d13abf00ed8be833567a98b60fed92n);
  });

  it('Y = X + eps*G', () => {
    const eps = deriveTweak({ network: 'dan-node', masterPublicKey: G, owner, path: 'app/1' });
    assert.deepEqual(derivedPublicKey(G, eps), secp256k1.Point.BASE.multiply(1n + eps).toBytes(true));
  });

  it('another owner, path, network or master gives another tweak', () => {
    const base = { network: 'dan-node', masterPublicKey: G, owner, path: 'a' };
    const other = secp256k1.Point.BASE.multiply(2n).toBytes(true);
    const tweaks = [base, { ...base, path: 'b' }, { ...base, network: 'dan-node2' }, { ...base, owner: owner.map((b, i) => (i === 19 ? b ^ 1 : b)) }, { ...base, masterPublicKey: other }].map(deriveTweak);
    assert.equal(new Set(tweaks).size, tweaks.length);
    // Length prefixes: moving a byte between fields changes the tweak.
    assert.notEqual(deriveTweak({ ...base, network: 'dan-nodea', path: '' }), deriveTweak({ ...base, network: 'dan-node', path: 'a' }));
  });

  it('refuses malformed inputs', () => {
    assert.throws(() => deriveTweak({ network: 'n', masterPublicKey: G.subarray(1), owner, path: '' }), TssError);
    assert.throws(() => deriveTweak({ network: 'n', masterPublicKey: G, owner: owner.subarray(1), path: '' }), TssError);
  });
});

// Reshare approvals (src/node/approvals.ts): what each membership change makes of a key, what it
// refuses, and that an approval covers only its change, its keys, once per key, until it expires.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReshareApprovals, changeTarget } from '../../src/node/approvals.ts';

const key = { parties: ['a', 'b', 'c'], threshold: 2 };

describe('membership changes', () => {
  it('add, remove, replace, threshold and an explicit target', () => {
    assert.deepEqual(changeTarget(key, { kind: 'add', node: 'd' }), { parties: ['a', 'b', 'c', 'd'], threshold: 2 });
    assert.deepEqual(changeTarget(key, { kind: 'add', node: 'd', threshold: 3 }), { parties: ['a', 'b', 'c', 'd'], threshold: 3 });
    assert.deepEqual(changeTarget(key, { kind: 'remove', node: 'b' }), { parties: ['a', 'c'], threshold: 2 });
    assert.deepEqual(changeTarget({ parties: ['a', 'b', 'c'], threshold: 3 }, { kind: 'remove', node: 'b' }), { parties: ['a', 'c'], threshold: 2 }, 'the threshold is lowered only as far as it must');
    assert.deepEqual(changeTarget(key, { kind: 'replace', node: 'b', with: 'x' }), { parties: ['a', 'x', 'c'], threshold: 2 });
    assert.deepEqual(changeTarget(key, { kind: 'threshold', threshold: 3 }), { parties: ['a', 'b', 'c'], threshold: 3 });
    assert.deepEqual(changeTarget(key, { kind: 'reshare', parties: ['c', 'd'], threshold: 2 }), { parties: ['c', 'd'], threshold: 2 });
  });

  it('says why a change does not apply', () => {
    assert.match(changeTarget(key, { kind: 'add', node: 'a' }) as string, /party already/);
    assert.match(changeTarget(key, { kind: 'remove', node: 'z' }) as string, /not a party/);
    assert.match(changeTarget({ parties: ['a', 'b'], threshold: 2 }, { kind: 'remove', node: 'a' }) as string, /at least 2 parties/);
    assert.match(changeTarget(key, { kind: 'replace', node: 'a', with: 'b' }) as string, /party already/);
    assert.match(changeTarget(key, { kind: 'threshold', threshold: 4 }) as string, /threshold must be an integer in 2\.\.3/);
    assert.match(changeTarget(key, { kind: 'reshare', parties: ['a', 'a'], threshold: 2 }) as string, /distinct/);
  });
});

describe('approvals', () => {
  it('cover their change, their keys, once per key, until they expire', () => {
    const approvals = new ReshareApprovals();
    const add = approvals.approve({ kind: 'add', node: 'd', keys: ['k1', 'k2'], expiresAt: Date.now() + 60_000 });
    const target = { parties: ['a', 'b', 'c', 'd'], threshold: 2 };
    assert.ok(approvals.find('k1', key, target));
    assert.equal(approvals.find('k3', key, target), undefined, 'another key');
    assert.equal(approvals.find('k1', key, { ...target, threshold: 3 }), undefined, 'another threshold');
    assert.equal(approvals.find('k1', key, { parties: ['a', 'b', 'd', 'c'], threshold: 2 }), undefined, 'another party order');
    approvals.use(add, 'k1');
    assert.equal(approvals.find('k1', key, target), undefined, 'used for k1');
    assert.ok(approvals.find('k2', key, target), 'still good for k2');
    approvals.approve({ kind: 'threshold', threshold: 3, expiresAt: Date.now() - 1 });
    assert.equal(approvals.find('k1', key, { parties: key.parties, threshold: 3 }), undefined, 'expired');
    assert.equal(approvals.list().length, 1);
    assert.equal(approvals.revoke(), 1);
    assert.equal(approvals.find('k2', key, target), undefined, 'revoked');
  });
});

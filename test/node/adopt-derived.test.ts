// Adopting a derived key's record from the master's other parties (src/node/adopt-derived.ts),
// with a real store and scripted peers: taken when the master's threshold of other parties give
// the same record and its derivation checks out; refused when too few have it, when a party of the
// master gives another record, or when the derivation is forged (all parties agreeing on it).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToHex, hexToBytes, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { silentLogger } from '../../src/log/logger.ts';
import { loadKey } from '../../src/node/adopt-derived.ts';
import { NodeError, type KeyRecord } from '../../src/node/api.ts';
import { derivedKey, type LoadedKey, type NodeContext } from '../../src/node/context.ts';
import { NodeStore } from '../../src/store/index.ts';
import { deriveTweak, derivedPublicKey } from '../../src/tss/index.ts';
import { SECRET, keyMeta, rand, tempRoot } from '../store/helpers.ts';

const tmp = tempRoot();
after(() => tmp.cleanup());

const NETWORK = 'adopt-test';
const [self, a, b, c, outsider] = ['self', 'peer-a', 'peer-b', 'peer-c', 'outsider'];
const masterPublicKey = bytesToHex(secp256k1.Point.BASE.multiply(12345n).toBytes(true));
const masterMeta = { ...keyMeta('master-1'), publicKey: masterPublicKey, parties: [self, a, b, c], threshold: 2, party: 0, master: true } as unknown as KeyRecord;
const owner = privateKeyToAccount(generatePrivateKey()).address;

function genuine(keyId: string, extra: Partial<KeyRecord> = {}): KeyRecord {
  const tweak = deriveTweak({ network: NETWORK, masterPublicKey: hexToBytes(masterPublicKey as Hex), owner: hexToBytes(owner), path: keyId });
  const publicKey = bytesToHex(derivedPublicKey(hexToBytes(masterPublicKey as Hex), tweak));
  return { ...keyMeta(keyId), publicKey, owner, authorizedSigners: [owner], expiresAt: 0, requestId: keyId, address: '0x', derivation: { master: 'master-1', tweak: tweak.toString(16).padStart(64, '0') }, ...extra } as KeyRecord;
}

/** A node context over a real store; `answers` is what each peer's node.keyInfo returns. */
async function node(answers: Record<string, KeyRecord | null>) {
  const store = await NodeStore.open({ path: tmp.db(), secret: SECRET });
  await store.putKey({ keyId: 'master-1', meta: masterMeta, share: rand(64) });
  const master: LoadedKey = { meta: masterMeta, share: {} as never };
  const remembered = new Map<string, KeyRecord>();
  const asked: string[] = [];
  const ctx = {
    self,
    store,
    log: silentLogger,
    requests: { verified: { network: NETWORK } },
    keys: {
      get: async (id: string) => {
        if (id === 'master-1') return master;
        const r = remembered.get(id);
        if (!r) throw new NodeError('UNKNOWN_KEY', `unknown key ${id}`);
        return derivedKey(r, master);
      },
      remember: (r: KeyRecord) => remembered.set(r.keyId, r),
    },
    peers: {
      operators: [self, a, b, c, outsider],
      call: async (peer: string) => {
        asked.push(peer);
        return answers[peer] ?? null;
      },
    },
  } as unknown as NodeContext;
  return { ctx, store, asked };
}

const unknown = (e: unknown) => e instanceof NodeError && e.code === 'UNKNOWN_KEY';

describe('adopting a derived record from the master\'s parties', () => {
  it('two parties (the threshold) give the same record: stored, with this node\'s view of the master', async () => {
    const r = genuine('d-1');
    const { ctx, store, asked } = await node({ [a]: r, [b]: { ...r, createdAt: 99 }, [c]: null });
    const key = await loadKey(ctx, 'd-1');
    assert.deepEqual(asked.sort(), [a, b, c, outsider].sort(), 'every other operator is asked');
    assert.equal(key.meta.publicKey, r.publicKey);
    assert.deepEqual(key.meta.parties, masterMeta.parties);
    assert.equal((await store.getKeyMeta('d-1'))?.publicKey, r.publicKey, 'stored, fsynced');
    await store.close();
  });

  it('one party alone, or an outsider agreeing, is not enough', async () => {
    const r = genuine('d-2');
    const { ctx, store } = await node({ [a]: r, [outsider]: r });
    await assert.rejects(loadKey(ctx, 'd-2'), unknown);
    assert.equal(await store.getKeyMeta('d-2'), undefined);
    await store.close();
  });

  it('a party of the master giving another record (a wider policy) blocks the adoption', async () => {
    const r = genuine('d-3');
    const { ctx, store } = await node({ [a]: r, [b]: r, [c]: { ...r, authorizedSigners: [owner, outsider] } });
    await assert.rejects(loadKey(ctx, 'd-3'), unknown);
    await store.close();
  });

  it('a forged derivation is refused even when every party gives it', async () => {
    const forged = { ...genuine('d-4'), publicKey: genuine('d-5').publicKey };
    const { ctx, store } = await node({ [a]: forged, [b]: forged, [c]: forged });
    await assert.rejects(loadKey(ctx, 'd-4'), unknown);
    await store.close();
  });
});

// A derived key's record fetched from the other parties of its master, for a node that holds the
// master but not the record: a node that joined the master by a reshare (derived keys are many;
// they are not copied by the reshare), or one that missed the record's keyGen. Records are
// public, but a record is what a signature is checked against (owner, signers, policy, expiry), so
// one peer's word is not enough: the node takes a record only when at least the master's
// threshold of its other parties give the same one and none gives another (fewer than the
// threshold can forge nothing), and when the derivation itself checks out (tweak and public key
// recomputed from the master, the owner and the key id).
import { createHash } from 'node:crypto';
import { bytesToHex, hexToBytes, type Hex } from 'viem';
import { canonicalJson } from '../auth/index.ts';
import { isStoreError } from '../store/index.ts';
import { deriveTweak, derivedPublicKey } from '../tss/index.ts';
import { NodeError, NodeMethod, type KeyRecord } from './api.ts';
import { derivedRecord, strip0x, type LoadedKey, type NodeContext } from './context.ts';
import { reshareRecord } from './reshare.ts';

/** How long the other parties have to answer. */
const ASK_MS = 5_000;

/** The key, adopting its derived record from the master's other parties when this node lacks it. */
export async function loadKey(ctx: NodeContext, keyId: unknown): Promise<LoadedKey> {
  try {
    return await ctx.keys.get(keyId);
  } catch (e) {
    if (!(e instanceof NodeError && e.code === 'UNKNOWN_KEY') || typeof keyId !== 'string') throw e;
    if (!(await adoptDerivedRecord(ctx, keyId))) throw e;
    return ctx.keys.get(keyId);
  }
}

async function adoptDerivedRecord(ctx: NodeContext, keyId: string): Promise<boolean> {
  const others = ctx.peers.operators.filter((p) => p !== ctx.self);
  const answers = await Promise.all(others.map((peer) => ctx.peers.call<KeyRecord | null>(peer, NodeMethod.keyInfo, { keyId }, ASK_MS).catch(() => null)));
  const records = new Map<string, { record: KeyRecord; from: string[] }>();
  answers.forEach((r, i) => {
    if (!r?.derivation || r.keyId !== keyId) return;
    const digest = createHash('sha256').update(canonicalJson(reshareRecord(r))).digest('hex');
    const entry = records.get(digest) ?? { record: r, from: [] };
    entry.from.push(others[i]);
    records.set(digest, entry);
  });
  for (const { record, from } of records.values()) {
    const master = await ctx.keys.get(record.derivation!.master).catch(() => undefined);
    if (!master?.meta.master) continue;
    const parties = master.meta.parties;
    const agreeing = from.filter((p) => parties.includes(p)).length;
    const disagreeing = [...records.values()].some((o) => o.record !== record && o.from.some((p) => parties.includes(p)));
    if (agreeing < master.meta.threshold || disagreeing) {
      ctx.log.warn('derived key record not adopted: too few of its master\'s parties agree', { keyId, agreeing, threshold: master.meta.threshold, disagreeing });
      return false;
    }
    const tweak = deriveTweak({ network: ctx.requests.verified.network, masterPublicKey: hexToBytes(master.meta.publicKey as Hex), owner: hexToBytes(record.owner as Hex), path: keyId });
    const publicKey = bytesToHex(derivedPublicKey(hexToBytes(master.meta.publicKey as Hex), tweak));
    if (strip0x(record.derivation!.tweak) !== tweak.toString(16).padStart(64, '0') || strip0x(record.publicKey) !== strip0x(publicKey)) {
      ctx.log.warn('derived key record not adopted: its derivation does not check out', { keyId, from });
      return false;
    }
    const own = derivedRecord({ ...record, createdAt: Math.floor(Date.now() / 1000) }, master.meta);
    try {
      ctx.keys.remember((await ctx.store.putDerivedKey(own as KeyRecord & { derivation: { master: string } })) as KeyRecord);
    } catch (e) {
      if (!isStoreError(e, 'STORE_CONFLICT')) throw e;
      return false;
    }
    ctx.log.info('derived key record adopted from the master\'s parties', { keyId, master: master.meta.keyId, agreeing });
    return true;
  }
  return false;
}

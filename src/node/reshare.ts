// node.reshare / node.commitReshare / node.reshareState / node.reshareSource: the node's side of
// moving a key (isolated or master) to another set of parties and threshold, same public key
// (docs/reshare.md). Two phases, as for a refresh:
// 1. node.reshare runs the engine's reshare among the dealers (holders of the current generation)
//    and the receivers (the new parties). A receiver keeps its new share pending — next to the
//    share in use when it holds the key, as a pending key when it joins — and acknowledges it with
//    its identity key. The old generation keeps signing meanwhile.
// 2. node.commitReshare, with every new party's acknowledgement: a receiver switches (one fsynced
//    batch: new share, parties and threshold, every presignature of the old generation gone); a
//    holder that is not among the new parties deletes its share.
// Authorization: the node's own operator must have approved the change (approvals.ts); the caller
// only proposes. A receiver that does not deal (a joining node, or one whose share is of a
// generation the others left) learns the key's record and the current generation's public data
// from every dealer and takes them only if all agree (with at least the old threshold of holders
// dealing, an agreement cannot be forged by fewer than that many); the engine's echo of the old
// generation's digest checks them once more.
import { createHash } from 'node:crypto';
import { hexToBytes } from 'viem';
import { canonicalJson } from '../auth/index.ts';
import { isStoreError } from '../store/index.ts';
import { MAX_PARTIES, decodeGeneration, encodeGeneration, encodeKeyShare, type GenerationPublic, type KeyShare, type ReshareMember } from '../tss/index.ts';
import {
  NodeError,
  NodeMethod,
  type NodeErrorCode,
  reshareAckStatement,
  type CommitReshareCall,
  type CommitReshareReply,
  type DerivedRecordsCall,
  type DerivedRecordsReply,
  type KeyInfoCall,
  type KeyRecord,
  type ReshareCall,
  type ReshareReply,
  type ReshareSourceReply,
  type ReshareStateReply,
} from './api.ts';
import { hex, isHex32, sessionInstance, strip0x, type LoadedKey, type NodeContext } from './context.ts';

/** Derived key records per page (a few hundred bytes each). */
const DERIVED_PAGE = 1000;

/** The pending-key session of a joiner's share of `generation` (the recovery loop leaves these alone). */
export const joinSession = (generation: string): string => `reshare:${generation}`;
export const isJoinSession = (session: string): boolean => session.startsWith('reshare:');

export async function reshare(ctx: NodeContext, call: ReshareCall): Promise<ReshareReply> {
  const { keyId, parties, threshold, dealers } = checkCall(call);
  const held = await heldKey(ctx, keyId);
  const dealing = dealers.includes(ctx.self);
  // A receiver that does not deal takes the key as the dealers hold it, even when it holds a share
  // itself: that share may be of a generation the others left (a node back from an old backup).
  const source = dealing ? undefined : await agreedSource(ctx, keyId, dealers);
  if (dealing && !held) throw new NodeError('NOT_A_PARTY', 'this node does not hold the key it is asked to deal');
  const record = dealing ? held!.meta : source!.record;
  const current: GenerationPublic = dealing ? held!.share : source!.generation;
  if (dealers.some((d) => !record.parties.includes(d))) throw new NodeError('BAD_CALL', 'every dealer must be a party of the key');
  if (!dealing && !parties.includes(ctx.self)) throw new NodeError('NOT_A_PARTY', 'this node neither deals nor receives in this reshare');
  const peers = [...dealers, ...parties.filter((p) => !dealers.includes(p))];
  const binding = `${keyId}/${threshold}/${parties.join(',')}/${dealers.join(',')}/${recordDigest(record)}`;
  const instance = sessionInstance('reshare', call.sessionId, binding);
  // From here on a refusal ends the session at the other parties at once (they would wait for this node).
  const refuse = (code: NodeErrorCode, message: string): never => {
    ctx.router.refuse(instance, peers.indexOf(ctx.self), peers, code);
    throw new NodeError(code, message, { keyId });
  };
  const approval = ctx.approvals.find(keyId, record, { parties, threshold });
  if (!approval) refuse('UNAUTHORIZED', `this node's operator has not approved moving ${keyId} from ${record.threshold}-of-[${record.parties.join(', ')}] to ${threshold}-of-[${parties.join(', ')}] (dan-node keys approve)`);
  if (dealers.length < record.threshold) refuse('BAD_CALL', `${record.threshold} holders of the key must deal, ${dealers.length} given`);
  const banned = peers.find((p) => p !== ctx.self && ctx.guard.blocked(p));
  if (banned) refuse('PEER_BANNED', `peer ${banned} is banned or suspended on this node`);

  const members: ReshareMember[] = peers.map((p) => ({
    ...(dealers.includes(p) ? { old: record.parties.indexOf(p) } : {}),
    ...(parties.includes(p) ? { new: parties.indexOf(p) } : {}),
  }));
  const machine = ctx.dkgParties.reshare(
    { instance, members, threshold, party: peers.indexOf(ctx.self), ...(dealing ? { keyShare: held!.share } : { current }) },
    peers,
  );
  const log = ctx.log.child({ keyId, session: strip0x(call.sessionId).slice(0, 16) });
  log.info('reshare started', { threshold, parties: parties.length, dealers: dealers.length, dealing, receiving: parties.includes(ctx.self) });
  const out = await ctx.router.run(instance, machine, peers, ctx.timeouts.keyGenMs, { protocol: 'reshare', keyId });
  ctx.approvals.use(approval!, keyId);
  const generation = hex(out.generation);
  if (!out.share) {
    log.info('reshare dealt; this node leaves the key at the commit');
    return { keyId, generation };
  }
  if (held) {
    await ctx.store.putPendingShare(keyId, generation, encodeKeyShare(out.share));
  } else {
    const earlier = await ctx.store.getPendingKey(keyId);
    if (earlier && isJoinSession(earlier.session)) await ctx.store.discardPendingKey(keyId, earlier.session);
    const meta: KeyRecord = { ...record, ...newParties(parties, threshold, ctx.self), generation };
    await ctx.store.putPendingKey({ keyId, meta, share: encodeKeyShare(out.share) }, joinSession(generation));
  }
  if (record.master && !dealing) {
    const { taken, disputed } = await takeDerivedRecords(ctx, keyId, dealers);
    log.info('derived keys taken from the dealers', { taken, disputed });
  }
  const ack = hex(await ctx.signer.sign(reshareAckStatement(keyId, generation, record.publicKey, parties, threshold)));
  log.info('reshare ready to commit', { generation: generation.slice(0, 16) });
  return { keyId, generation, ack };
}

export async function commitReshare(ctx: NodeContext, call: CommitReshareCall): Promise<CommitReshareReply> {
  const { keyId, parties, threshold } = checkCall({ ...call, sessionId: '0'.repeat(64), dealers: [] });
  const { generation } = call;
  if (typeof generation !== 'string' || !/^[0-9a-f]{64}$/.test(generation)) throw new NodeError('BAD_CALL', 'generation must be 32 bytes of lowercase hex');
  const meta = (await ctx.store.getKeyMeta(keyId)) as KeyRecord | undefined;
  const pending = meta ? undefined : await ctx.store.getPendingKey(keyId);
  if (meta?.derivation) throw new NodeError('BAD_CALL', `key ${keyId} is derived: reshare its master ${meta.derivation.master}`);
  if (meta?.generation === generation) return { keyId, generation, outcome: 'switched' };
  const publicKey = meta?.publicKey ?? pending?.meta.publicKey;
  if (!publicKey) return { keyId, generation, outcome: 'none' };
  const acks = call.acks && typeof call.acks === 'object' ? call.acks : {};
  const statement = reshareAckStatement(keyId, generation, publicKey, parties, threshold);
  for (const peer of parties) {
    const ack = acks[peer];
    const ok = typeof ack === 'string' && /^[0-9a-f]{128}$/.test(ack) && (await ctx.signer.verify(peer, statement, hexToBytes(`0x${ack}`)));
    if (!ok) throw new NodeError('RESHARE_MISMATCH', `no valid acknowledgement of generation ${generation.slice(0, 16)} from ${peer}`, { keyId, peer });
  }
  const switched = { generation, refreshRequired: [], reshareAcks: Object.fromEntries(parties.map((p) => [p, acks[p]])), resharedAt: Math.floor(Date.now() / 1000) };
  let outcome: CommitReshareReply['outcome'] = 'switched';
  try {
    if (!parties.includes(ctx.self)) {
      outcome = (await ctx.store.removeKey(keyId)) ? 'left' : 'none';
    } else if (meta) {
      await ctx.store.commitPendingShare(keyId, generation, { ...switched, ...newParties(parties, threshold, ctx.self) });
    } else {
      await ctx.store.commitPendingKey(keyId, joinSession(generation), switched);
    }
  } catch (e) {
    if (isStoreError(e, 'STORE_NOT_FOUND')) throw new NodeError('RESHARE_MISMATCH', e.message, { keyId, generation });
    throw e;
  }
  ctx.keys.drop(keyId);
  ctx.log.info(outcome === 'left' ? 'left the key: share deleted' : 'key reshared', { keyId, generation: generation.slice(0, 16), threshold, parties: parties.length });
  return { keyId, generation, outcome };
}

/** Where the key stands here: the generation in use (if held), a pending one, the acks of the one in use. */
export async function reshareState(ctx: NodeContext, call: KeyInfoCall): Promise<ReshareStateReply> {
  const held = await heldKey(ctx, call?.keyId);
  if (!held) {
    const joining = await ctx.store.getPendingKey(call.keyId);
    return { keyId: call.keyId, ...(joining && isJoinSession(joining.session) ? { pending: joining.meta.generation as string } : {}) };
  }
  const pending = await ctx.store.pendingGeneration(call.keyId);
  const { meta } = held;
  return {
    keyId: call.keyId,
    generation: hex(held.share.generation),
    parties: meta.parties,
    threshold: meta.threshold,
    ...(pending ? { pending } : {}),
    ...(meta.reshareAcks ? { acks: meta.reshareAcks } : {}),
  };
}

/** A dealer's answer to a joining receiver: the key's record and the current generation's public data. */
export async function reshareSource(ctx: NodeContext, call: KeyInfoCall): Promise<ReshareSourceReply> {
  const held = await heldKey(ctx, call?.keyId);
  if (!held) throw new NodeError('UNKNOWN_KEY', `unknown key ${call.keyId}`);
  return { record: reshareRecord(held.meta), generation: hex(encodeGeneration(held.share)) };
}

/** A page of the derived keys of a master this node holds (public records). */
export async function derivedRecords(ctx: NodeContext, call: DerivedRecordsCall): Promise<DerivedRecordsReply> {
  const held = await heldKey(ctx, call?.master);
  if (!held?.meta.master) throw new NodeError('UNKNOWN_KEY', `no master key ${call?.master} here`);
  if (call.after !== undefined && typeof call.after !== 'string') throw new NodeError('BAD_CALL', 'after must be a key id');
  const limit = Number.isInteger(call.limit) ? Math.min(Math.max(call.limit, 1), DERIVED_PAGE) : DERIVED_PAGE;
  const { records, more } = await ctx.store.listDerivedKeys(call.master, call.after, limit);
  return { records: (records as KeyRecord[]).map(reshareRecord), more };
}

/**
 * A joining party takes the derived keys of master `master` from the dealers: a record every
 * dealer gives, identical, is stored (as many dealers as the old threshold, at least, vouch for
 * it); one that some dealer lacks or gives otherwise is left out (made during the reshare, or
 * disputed) and adopted later if the master's parties agree on it (adopt-derived.ts).
 */
async function takeDerivedRecords(ctx: NodeContext, master: string, dealers: string[]): Promise<{ taken: number; disputed: number }> {
  let after: string | undefined;
  let taken = 0;
  let disputed = 0;
  for (;;) {
    const pages = await Promise.all(
      dealers.map((d) => ctx.peers.call<DerivedRecordsReply>(d, NodeMethod.derivedRecords, { master, ...(after ? { after } : {}), limit: DERIVED_PAGE }, ctx.timeouts.keyGenMs)),
    );
    // Pages of different dealers may end at different ids: compare up to the first end.
    const ends = pages.filter((p) => p.more && p.records.length).map((p) => p.records.at(-1)!.keyId).sort();
    const bound = ends[0];
    const within = (r: KeyRecord) => bound === undefined || r.keyId <= bound;
    const votes = new Map<string, { record: KeyRecord; count: number }>();
    for (const page of pages) {
      for (const r of page.records.filter(within)) {
        if (r.derivation?.master !== master) continue;
        const id = `${r.keyId}/${canonicalJson(r)}`;
        const v = votes.get(id) ?? { record: r, count: 0 };
        v.count++;
        votes.set(id, v);
      }
    }
    const agreed = [...votes.values()].filter((v) => v.count === dealers.length).map((v) => ({ ...v.record, createdAt: Math.floor(Date.now() / 1000) }));
    disputed += new Set([...votes.values()].map((v) => v.record.keyId)).size - agreed.length;
    taken += await ctx.store.putDerivedKeys(master, agreed);
    if (bound === undefined) return { taken, disputed };
    after = bound;
  }
}

/**
 * A key's record without what differs between its parties (its party index, when it was stored
 * here, acknowledgements and refresh marks): what a joining party stores.
 */
export function reshareRecord(meta: KeyRecord): KeyRecord {
  const { party: _party, createdAt: _at, refreshRequired: _r, refreshAcks: _ra, refreshedAt: _rt, reshareAcks: _sa, resharedAt: _st, keyGenAcks: _ka, ...shared } = meta;
  return { ...shared, party: -1, createdAt: 0 };
}

function recordDigest(record: KeyRecord): string {
  return createHash('sha256').update(canonicalJson(reshareRecord(record))).digest('hex');
}

function newParties(parties: string[], threshold: number, self: string): Pick<KeyRecord, 'parties' | 'threshold' | 'party'> {
  return { parties: [...parties], threshold, party: parties.indexOf(self) };
}

/** The key as held here, or undefined; a derived key is refused (its master is what is reshared). */
async function heldKey(ctx: NodeContext, keyId: unknown): Promise<(LoadedKey & { share: KeyShare }) | undefined> {
  try {
    const key = await ctx.keys.get(keyId);
    if (key.meta.derivation) throw new NodeError('BAD_CALL', `key ${key.meta.keyId} is derived from master key ${key.meta.derivation.master}: reshare the master (the derived keys follow it)`);
    return key;
  } catch (e) {
    if (e instanceof NodeError && e.code === 'UNKNOWN_KEY') return undefined;
    throw e;
  }
}

/** The record and current generation every dealer gives, or RESHARE_MISMATCH when they differ. */
async function agreedSource(ctx: NodeContext, keyId: string, dealers: string[]): Promise<{ record: KeyRecord; generation: GenerationPublic }> {
  const answers = await Promise.all(
    dealers.map(async (d) => {
      try {
        return await ctx.peers.call<ReshareSourceReply>(d, NodeMethod.reshareSource, { keyId }, ctx.timeouts.keyGenMs);
      } catch (e) {
        throw new NodeError('PEER_UNAVAILABLE', `dealer ${d} did not give the public data of ${keyId}: ${(e as Error).message}`, { keyId, peer: d });
      }
    }),
  );
  const digests = answers.map((a) => createHash('sha256').update(canonicalJson(a.record)).update(String(a.generation)).digest('hex'));
  if (new Set(digests).size !== 1) {
    throw new NodeError('RESHARE_MISMATCH', `the dealers of ${keyId} disagree on its record or current generation; nothing was taken`, { keyId, dealers });
  }
  const { record, generation } = answers[0];
  if (record?.keyId !== keyId || typeof generation !== 'string') throw new NodeError('RESHARE_MISMATCH', `the dealers sent no record of ${keyId}`, { keyId });
  let current: GenerationPublic;
  try {
    current = decodeGeneration(hexToBytes(`0x${generation}`));
  } catch (e) {
    throw new NodeError('RESHARE_MISMATCH', `the dealers' generation record of ${keyId} does not decode: ${(e as Error).message}`, { keyId });
  }
  if (hex(current.publicKey) !== strip0x(record.publicKey) || current.threshold !== record.threshold || current.xs.length !== record.parties.length) {
    throw new NodeError('RESHARE_MISMATCH', `the dealers' generation of ${keyId} is not the key's record`, { keyId });
  }
  return { record: { ...record, createdAt: Math.floor(Date.now() / 1000) }, generation: current };
}

function checkCall(call: ReshareCall): ReshareCall {
  if (!call || !isHex32(call.sessionId)) throw new NodeError('BAD_CALL', 'sessionId must be 32 bytes of hex');
  if (typeof call.keyId !== 'string') throw new NodeError('BAD_CALL', 'keyId must be a string');
  const ids = (v: unknown, what: string) => {
    if (!Array.isArray(v) || v.some((p) => typeof p !== 'string') || new Set(v).size !== v.length) throw new NodeError('BAD_CALL', `${what} must be distinct peer ids`);
    return v as string[];
  };
  const parties = ids(call.parties, 'parties');
  ids(call.dealers, 'dealers');
  if (parties.length < 2 || parties.length > MAX_PARTIES) throw new NodeError('BAD_CALL', `a key has 2 to ${MAX_PARTIES} parties`);
  if (!Number.isInteger(call.threshold) || call.threshold < 2 || call.threshold > parties.length) throw new NodeError('BAD_CALL', `threshold must be an integer in 2..${parties.length}`);
  return call;
}

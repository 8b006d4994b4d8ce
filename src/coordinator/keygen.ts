// Key generation: choose the parties, send each node its keyGen call (carrying the user's signed
// request or the legacy client's frames: every node checks it), check they all derived the same
// key, confirm it at every party (all or nothing: confirm-key.ts) and start tracking its
// presignature pools. Runs once per request. When a master key fits the request (masters.ts) and
// the owner did not ask for an isolated key, the parties derive the key from it instead of a DKG:
// each stores the key's record and answers at once; its pool is the master's.
import { randomBytes } from 'node:crypto';
import { bytesToHex, type Hex } from 'viem';
import { NodeMethod, type KeyGenCall, type KeyRecord } from '../node/api.ts';
import { nativeKeyGenTerms } from '../requests/index.ts';
import { RpcError, RpcErrorCode, type DanParams, type DanResult } from '../rpc/index.ts';
import { callNode, checked, schedulable, type CoordinatorContext } from './context.ts';
import { poolKey, publicKeyInfo } from './keys.ts';
import { everyNode } from './signing.ts';
import { KeyGenConfirmation } from './confirm-key.ts';

/**
 * dan_keyGen: signed by the owner it names. The signature is checked once the request is admitted
 * (and again before the answer): a burst refused as BUSY costs no signature checks.
 */
export async function keyGen(ctx: CoordinatorContext, p: DanParams<'dan_keyGen'>): Promise<DanResult<'dan_keyGen'>> {
  const info = await generateKey(ctx, {
    once: `keyGen:${p.requestId}`,
    hash: ctx.requests.verified.content('dan_keyGen', p),
    authorize: () => void checked(() => nativeKeyGenTerms(p, ctx.requests)),
    parties: p.parties,
    threshold: p.threshold,
    derive: p.isolated !== true,
    call: (sessionId, nodes, master) => ({ sessionId, nodes, request: p, ...(master ? { master } : {}) }),
  });
  return publicKeyInfo(info);
}

export interface KeyGenRun {
  /** Idempotency id and content hash of the request. */
  once: string;
  hash: string;
  /** The caller's own authorization, checked again before an answer is returned. */
  authorize(): void;
  parties: number | readonly string[] | undefined;
  threshold: number;
  /** Derive the key from a fitting master key when there is one (else a DKG). */
  derive: boolean;
  call: (sessionId: Hex, nodes: string[], master?: string) => KeyGenCall;
}

export function generateKey(ctx: CoordinatorContext, r: KeyGenRun): Promise<KeyRecord> {
  return ctx.once.run(r.once, r.hash, r.authorize, () => {
    const master = r.derive ? ctx.masters.pick(r.threshold, r.parties, ctx.nodes.operators) : undefined;
    // A derivation is a few milliseconds of work: it has a gate of its own, not behind DKGs.
    if (master) return ctx.online('derive', () => (r.authorize(), deriveKey(ctx, r, master)));
    return ctx.online('keyGen', async () => {
      r.authorize();
      const nodes = chooseParties(ctx, r.parties, r.threshold);
      return runDkg(ctx, nodes, r.threshold, 'key generation', (sessionId) => r.call(sessionId, nodes));
    });
  });
}

/**
 * One DKG among `nodes` (each sent `call(sessionId)`): every party must derive the same key, which
 * is then confirmed at every party (all or nothing: confirm-key.ts) and its pools tracked.
 */
export async function runDkg(ctx: CoordinatorContext, nodes: string[], threshold: number, what: string, call: (sessionId: Hex) => KeyGenCall): Promise<KeyRecord> {
  const sessionId = bytesToHex(randomBytes(32));
  ctx.log.info(what, { threshold, parties: nodes.length, session: sessionId.slice(2, 18) });
  const confirmation = new KeyGenConfirmation(ctx, nodes, threshold);
  const replies = await everyNode(ctx, nodes, `${what} failed`, (peer) =>
    confirmation.track(peer, callNode(ctx, peer, NodeMethod.keyGen, call(sessionId), ctx.o.timeouts.keyGenMs + 2000)),
  ).catch((e: unknown) => {
    confirmation.abandon();
    throw e;
  });
  const { keyId, publicKey } = replies[0];
  if (replies.some((x) => x.keyId !== keyId || x.publicKey !== publicKey)) {
    confirmation.abandon();
    throw new RpcError(RpcErrorCode.INTERNAL_ERROR, 'nodes disagree on the generated key', { reason: 'inconsistent_keygen' });
  }
  const committed = await confirmation.commit(replies);
  const info = await ctx.keys.find(keyId, committed);
  if (!info) throw new RpcError(RpcErrorCode.INTERNAL_ERROR, `key ${keyId} was generated but no party describes it`, { reason: 'internal' });
  ctx.pools.track(poolKey(info));
  return info;
}

/** A key derived from `master` at every one of its parties (each stores the record before it answers). */
async function deriveKey(ctx: CoordinatorContext, r: KeyGenRun, master: KeyRecord): Promise<KeyRecord> {
  const nodes = master.parties;
  const down = nodes.filter((p) => !schedulable(ctx, p));
  if (down.length) throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `every party of master key ${master.keyId} must be up to derive a key; not reachable or excluded: ${down.join(', ')}`, { reason: 'quorum_unavailable' });
  const sessionId = bytesToHex(randomBytes(32));
  const replies = await everyNode(ctx, nodes, 'key derivation failed', (peer) => callNode(ctx, peer, NodeMethod.keyGen, r.call(sessionId, nodes, master.keyId), ctx.o.timeouts.signMs));
  const { keyId, publicKey } = replies[0];
  if (replies.some((x) => x.keyId !== keyId || x.publicKey !== publicKey)) throw new RpcError(RpcErrorCode.INTERNAL_ERROR, 'nodes disagree on the derived key', { reason: 'inconsistent_keygen' });
  const info = await ctx.keys.find(keyId, nodes);
  if (!info) throw new RpcError(RpcErrorCode.INTERNAL_ERROR, `key ${keyId} was derived but no party describes it`, { reason: 'internal' });
  return info;
}

function chooseParties(ctx: CoordinatorContext, parties: number | readonly string[] | undefined, threshold: number): string[] {
  const { operators, self } = ctx.nodes;
  if (Array.isArray(parties)) {
    const unknown = parties.filter((p) => !operators.includes(p));
    if (unknown.length) throw new RpcError(RpcErrorCode.INVALID_PARAMS, `unknown node(s): ${unknown.join(', ')}`, { reason: 'invalid_field', field: 'parties' });
    const down = parties.filter((p) => !schedulable(ctx, p));
    if (down.length) throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `node(s) not reachable or excluded (dan_nodes tells why): ${down.join(', ')}`, { reason: 'quorum_unavailable' });
    return [...parties];
  }
  const count = typeof parties === 'number' ? parties : operators.length;
  if (count > operators.length) {
    throw new RpcError(RpcErrorCode.INVALID_PARAMS, `the network has ${operators.length} nodes, ${count} requested`, { reason: 'invalid_field', field: 'parties' });
  }
  const live = operators.filter((p) => schedulable(ctx, p));
  if (live.length < count) {
    throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `${count} nodes needed, ${live.length} reachable and not excluded`, { reason: 'quorum_unavailable', needed: count, reachable: live.length });
  }
  if (threshold > count) throw new RpcError(RpcErrorCode.INVALID_PARAMS, 'threshold exceeds the number of parties', { reason: 'invalid_field', field: 'threshold' });
  return [self, ...live.filter((p) => p !== self)].slice(0, count);
}

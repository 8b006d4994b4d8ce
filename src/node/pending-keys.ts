// All-or-nothing key creation, the node's side (docs/signing.md, "Key creation is all or
// nothing"). A DKG that finished here leaves its key *pending* (store: not listed, not usable);
// it becomes a key only when every party is known to hold it, and is discarded when some party
// is known never to hold it:
// - node.keyGenCommit: the coordinator got every party's reply; it sends every party's
//   acknowledgement (an identity signature on keyGenAckStatement: "I hold this run's key
//   durably"), each node checks them all and commits (idempotent);
// - node.keyStatus: what this node holds of one run of a key's DKG (committed, pending, running,
//   absent), asked by the key's other parties only; the answer holds no secret;
// - settlePendingKey: this node asks every other party about its pending key's run and applies
//   the rule below; run by node.keyGenDiscard (the coordinator saw the DKG fail somewhere), by
//   node.keyGen before a new run of the same key, and by the recovery loop (at start, then for
//   keys pending longer than the DKG deadline).
// The rule: a party has the run committed (with every party's acknowledgement) -> commit; every
// party has it pending -> commit (each holds it durably: it is whole); some party says absent ->
// discard (that party's DKG never stored it and, not running any more, never will); otherwise
// (no answer, still running) -> keep it pending and ask again later.
// Why it is safe at any time: a party stores before it acknowledges or answers, never replaces a
// pending key it has not settled first, and answers `absent` only when it neither holds the run
// nor runs it. So either some party never stores the run (no coordinator commit is ever sent,
// nobody ever sees "every party pending": all discard) or every party stores it (nobody ever sees
// `absent`: all commit).
// Assumes: session ids are fresh per run (32 random bytes) and compared without 0x, lowercase.
import { hexToBytes } from 'viem';
import { isStoreError, type PendingKeyInfo } from '../store/index.ts';
import {
  NodeError,
  NodeMethod,
  keyGenAckStatement,
  type KeyGenCommitCall,
  type KeyGenCommitReply,
  type KeyGenDiscardCall,
  type KeyGenDiscardReply,
  type KeyGenReply,
  type KeyStatusCall,
  type KeyStatusReply,
  type PendingKeyOutcome,
} from './api.ts';
import { hex, isHex32, strip0x, type NodeContext } from './context.ts';
import { isJoinSession } from './reshare.ts';

/** Deadline of one node.keyStatus call while settling. */
export const KEY_STATUS_CALL_MS = 5_000;
/** The recovery loop's longest period (shorter when the DKG deadline is). */
export const RECOVERY_INTERVAL_MS = 30_000;
/** Delay of the first recovery pass after start (the peers connect meanwhile). */
const RECOVERY_FIRST_PASS_MS = 2_000;

interface Run {
  session: string;
  parties: readonly string[];
}

/** DKG runs in progress on this node (from the keyGen call to its pending key stored), by key id. */
const runs = new WeakMap<NodeContext, Map<string, Run>>();
/** Settlements in progress, by key id: one at a time per key. */
const settling = new WeakMap<NodeContext, Map<string, Promise<PendingKeyOutcome>>>();

function perContext<V>(map: WeakMap<NodeContext, Map<string, V>>, ctx: NodeContext): Map<string, V> {
  let m = map.get(ctx);
  if (!m) map.set(ctx, (m = new Map()));
  return m;
}

/**
 * Runs `work` (a DKG of `keyId` and the storing of its result) registered as running, so that
 * node.keyStatus answers `running` meanwhile. KEY_PENDING when a run of the key is already going on here.
 */
export async function whileRunning<T>(ctx: NodeContext, keyId: string, session: string, parties: readonly string[], work: () => Promise<T>): Promise<T> {
  const running = perContext(runs, ctx);
  const other = running.get(keyId);
  if (other) {
    throw new NodeError('KEY_PENDING', `a DKG of key ${keyId} is already running on this node (run ${other.session.slice(0, 16)}); retry when it is over`, { keyId, session: other.session.slice(0, 16) });
  }
  running.set(keyId, { session, parties });
  try {
    return await work();
  } finally {
    running.delete(keyId);
  }
}

/** The session id of a call, normalised (no 0x, lowercase); BAD_CALL when it is not 32 bytes of hex. */
export function runOf(sessionId: unknown): string {
  if (!isHex32(sessionId)) throw new NodeError('BAD_CALL', 'sessionId must be 32 bytes of hex');
  return strip0x(sessionId);
}

/** This node's acknowledgement (hex) that it holds the key of run `session` durably. */
export async function keyGenAck(ctx: NodeContext, keyId: string, session: string, publicKey: string): Promise<string> {
  return hex(await ctx.signer.sign(keyGenAckStatement(keyId, session, publicKey)));
}

/** The reply to node.keyGen for a key pending here. */
export async function pendingReply(ctx: NodeContext, pending: PendingKeyInfo): Promise<KeyGenReply> {
  const { keyId, session, meta } = pending;
  return { keyId, publicKey: meta.publicKey, session, ack: await keyGenAck(ctx, keyId, session, meta.publicKey) };
}

async function validAck(ctx: NodeContext, peer: string, statement: Uint8Array, ack: unknown): Promise<boolean> {
  return typeof ack === 'string' && /^[0-9a-f]{128}$/.test(ack) && ctx.signer.verify(peer, statement, hexToBytes(`0x${ack}`));
}

/** The party (if any) without a valid acknowledgement of the pending key's run in `acks`. */
async function missingAck(ctx: NodeContext, pending: PendingKeyInfo, acks: Record<string, unknown>): Promise<string | undefined> {
  const statement = keyGenAckStatement(pending.keyId, pending.session, pending.meta.publicKey);
  for (const peer of pending.meta.parties) if (!(await validAck(ctx, peer, statement, acks[peer]))) return peer;
  return undefined;
}

/** Commits the pending key with every party's acknowledgement; a concurrent commit of the same run is fine. */
async function commit(ctx: NodeContext, pending: PendingKeyInfo, acks: Record<string, string>, why: string): Promise<void> {
  const { keyId, session, meta } = pending;
  try {
    await ctx.store.commitPendingKey(keyId, session, { keyGenAcks: Object.fromEntries(meta.parties.map((p) => [p, acks[p]])) });
  } catch (e) {
    if (isStoreError(e, 'STORE_NOT_FOUND') && (await ctx.store.getKey(keyId))?.meta.keyGenSession === session) return;
    throw e;
  }
  ctx.keys.drop(keyId);
  ctx.log.info('key committed', { keyId, session: session.slice(0, 16), why });
}

// ---- node.keyGenCommit, node.keyGenDiscard, node.keyStatus -----------------------------------

export async function keyGenCommit(ctx: NodeContext, call: KeyGenCommitCall): Promise<KeyGenCommitReply> {
  if (typeof call?.keyId !== 'string') throw new NodeError('BAD_CALL', 'keyId must be a string');
  const { keyId } = call;
  const session = runOf(call.sessionId);
  const committed = await ctx.store.getKey(keyId);
  if (committed) {
    if (committed.meta.keyGenSession === session) return { keyId, status: 'committed' };
    throw new NodeError('KEYGEN_MISMATCH', `key ${keyId} exists here from another run`, { keyId, session: session.slice(0, 16) });
  }
  const pending = await ctx.store.getPendingKey(keyId);
  if (pending?.session !== session) {
    throw new NodeError('KEYGEN_MISMATCH', `no key ${keyId} of run ${session.slice(0, 16)} is pending here`, { keyId, session: session.slice(0, 16), pending: pending?.session.slice(0, 16) ?? null });
  }
  const acks = call.acks && typeof call.acks === 'object' ? (call.acks as Record<string, unknown>) : {};
  const missing = await missingAck(ctx, pending, acks);
  if (missing) throw new NodeError('KEYGEN_MISMATCH', `no valid acknowledgement of run ${session.slice(0, 16)} of key ${keyId} from ${missing}`, { keyId, peer: missing });
  await commit(ctx, pending, acks as Record<string, string>, 'every party acknowledged it');
  return { keyId, status: 'committed' };
}

export async function keyGenDiscard(ctx: NodeContext, call: KeyGenDiscardCall, from: string): Promise<KeyGenDiscardReply> {
  if (typeof call?.keyId !== 'string') throw new NodeError('BAD_CALL', 'keyId must be a string');
  const outcome = await settlePendingKey(ctx, call.keyId, runOf(call.sessionId), `its DKG failed somewhere (reported by ${from})`);
  return { keyId: call.keyId, outcome };
}

export async function keyStatus(ctx: NodeContext, call: KeyStatusCall, from: string): Promise<KeyStatusReply> {
  if (typeof call?.keyId !== 'string') throw new NodeError('BAD_CALL', 'keyId must be a string');
  const { keyId } = call;
  const session = runOf(call.sessionId);
  const [committed, pending] = await Promise.all([ctx.store.getKey(keyId), ctx.store.getPendingKey(keyId)]);
  const run = perContext(runs, ctx).get(keyId);
  const parties = committed?.meta.parties ?? pending?.meta.parties ?? run?.parties;
  if (parties && from !== ctx.self && !parties.includes(from)) throw new NodeError('NOT_A_PARTY', `${from} is not a party of key ${keyId}`, { keyId, peer: from });
  if (committed?.meta.keyGenSession === session) {
    return { keyId, status: 'committed', publicKey: committed.meta.publicKey, acks: (committed.meta.keyGenAcks as Record<string, string> | undefined) ?? {} };
  }
  if (pending?.session === session) {
    return { keyId, status: 'pending', publicKey: pending.meta.publicKey, acks: { [ctx.self]: await keyGenAck(ctx, keyId, session, pending.meta.publicKey) } };
  }
  if (run?.session === session) return { keyId, status: 'running' };
  return { keyId, status: 'absent' };
}

// ---- settling ----------------------------------------------------------------------------------

/**
 * Settles this node's pending key of run `session` by the rule in the header: 'committed',
 * 'discarded', or 'pending' (kept: not every party answered). 'absent' when no key of that run is
 * pending here (and none is committed: 'committed' then). `reason` goes to the log.
 */
export function settlePendingKey(ctx: NodeContext, keyId: string, session: string, reason: string): Promise<PendingKeyOutcome> {
  const inFlight = perContext(settling, ctx);
  const prior = inFlight.get(keyId);
  if (prior) return prior;
  const done = settle(ctx, keyId, session, reason).finally(() => inFlight.delete(keyId));
  inFlight.set(keyId, done);
  return done;
}

async function settle(ctx: NodeContext, keyId: string, session: string, reason: string): Promise<PendingKeyOutcome> {
  const pending = await ctx.store.getPendingKey(keyId);
  if (pending?.session !== session) return (await ctx.store.getKey(keyId))?.meta.keyGenSession === session ? 'committed' : 'absent';
  const { meta } = pending;
  const log = ctx.log.child({ keyId, session: session.slice(0, 16) });
  const statement = keyGenAckStatement(keyId, session, meta.publicKey);
  const acks: Record<string, string> = { [ctx.self]: await keyGenAck(ctx, keyId, session, meta.publicKey) };
  const others = meta.parties.filter((p) => p !== ctx.self);
  const answers = await Promise.allSettled(others.map((peer) => ctx.peers.call<KeyStatusReply>(peer, NodeMethod.keyStatus, { keyId, sessionId: session }, KEY_STATUS_CALL_MS)));
  let committedAcks: Record<string, string> | undefined;
  const absent: string[] = [];
  const undecided: string[] = [];
  for (const [i, answer] of answers.entries()) {
    const peer = others[i];
    if (answer.status === 'rejected') {
      undecided.push(peer);
      log.debug('a party did not say where the key stands', { peer, error: (answer.reason as Error).message });
      continue;
    }
    const a = answer.value;
    const sameKey = a?.publicKey === meta.publicKey;
    if (a?.status === 'absent') absent.push(peer);
    else if (a?.status === 'committed' && sameKey && !(await missingAck(ctx, pending, a.acks ?? {}))) committedAcks = a.acks;
    else if (a?.status === 'pending' && sameKey && (await validAck(ctx, peer, statement, a.acks?.[peer]))) acks[peer] = a.acks![peer];
    else {
      undecided.push(peer);
      if (a?.status !== 'running') log.warn('a party gave an answer that cannot be checked', { peer, status: a?.status, sameKey });
    }
  }
  if (committedAcks) {
    await commit(ctx, pending, committedAcks, `a party has committed it (${reason})`);
    return 'committed';
  }
  if (absent.length) {
    if (await ctx.store.discardPendingKey(keyId, session)) log.info('pending key discarded', { why: `not held by ${absent.join(', ')} (${reason})` });
    return 'discarded';
  }
  if (undecided.length === 0) {
    await commit(ctx, pending, acks, `every party holds it (${reason})`);
    return 'committed';
  }
  log.info('pending key kept: not every party could say where it stands', { waitingFor: undecided, why: reason });
  return 'pending';
}

// ---- recovery ----------------------------------------------------------------------------------

export interface PendingKeyRecovery {
  stop(): void;
}

/**
 * Settles the keys left pending: a little after start, every one stored before this process
 * started (a crash left it; one stored since then belongs to a DKG of this process whose
 * coordinator may still be confirming it), then, every min(RECOVERY_INTERVAL_MS, keyGenMs), those
 * pending for longer than the DKG deadline (younger ones are still being confirmed).
 */
export function startPendingKeyRecovery(ctx: NodeContext): PendingKeyRecovery {
  const graceMs = ctx.timeouts.keyGenMs;
  const startedAt = Date.now();
  let stopped = false;
  let pass: Promise<void> | undefined;
  const run = (all: boolean) => {
    if (stopped || pass) return;
    pass = (async () => {
      // A joiner's share of a reshare is settled by the reshare's commit or next run (reshare.ts), not here.
      const due = (await ctx.store.listPendingKeys()).filter((p) => !isJoinSession(p.session) && (all ? p.since < startedAt : Date.now() - p.since > graceMs));
      for (const p of due) {
        if (stopped || ctx.store.closed) return;
        await settlePendingKey(ctx, p.keyId, p.session, all ? 'recovery at start' : 'recovery: pending past the DKG deadline');
      }
    })()
      .catch((e: Error) => ctx.log.warn('pending-key recovery pass failed', { error: e.message }))
      .finally(() => (pass = undefined));
  };
  const first = setTimeout(() => run(true), RECOVERY_FIRST_PASS_MS);
  const timer = setInterval(() => run(false), Math.min(RECOVERY_INTERVAL_MS, graceMs));
  first.unref();
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}

// Threshold signing with failover. A request (SignRequest: the user's request as sent) is prepared
// with the same code every signer runs (src/requests: parameters, the one digest), and runs once
// per (key, requestId): take a presignature whose signers are all usable (or presign on demand),
// send each signer the request, combine and verify the partials. A node that fails or times out is
// left out and another signer set is tried; a partial that does not verify names its signer, who
// is blamed. The coordinator's own check of the user's signature runs while the calls are on their
// way (the signers check it before consuming anything): latency, not trust — no answer leaves
// before it passed. A request whose budget runs out (the admission gate's deadline signal) gets
// BUSY: while it waits for a presignature (which, when it comes, goes to the pool) or for partials
// (dropped when they come: no signature is made of them).
import { randomBytes } from 'node:crypto';
import { bytesToHex, hexToBytes, type Hex } from 'viem';
import { DanError } from '../errors/index.ts';
import { NodeMethod, publicValuesFromWire, type KeyRecord, type SignBindReply } from '../node/api.ts';
import { prepareSign, requestKeyId, type PreparedSign, type SignRequest } from '../requests/index.ts';
import { RpcError, RpcErrorCode, toRpcError, type SignResult } from '../rpc/index.ts';
import { TssError, checkPublicValues, combineSignature, rerandomizeNonce, rerandomizePublicValues, rerandomizerDelta, type ExpectedPresignature, type PresignPublicValues } from '../tss/index.ts';
import { callNode, checked, isLive, schedulable, type CoordinatorContext } from './context.ts';
import { poolKey } from './keys.ts';
import type { PoolKey, Pooled } from './pools.ts';

/** After one node failed a session, how long the others get to report their own failure. */
const FAILURE_GRACE_MS = 300;
/** How long a node that others say aborted the session gets for its own report (which names the suspect). */
const ABORTER_GRACE_MS = 5_000;
const MAX_SIGN_ATTEMPTS = 3;
/** Times a request reads its key again after a switch (STALE_KEY), beyond its attempts. */
const MAX_REREADS = 2;

/** Sign a request once per (key, requestId): the same request again gets the same signature. */
export async function signRequest(ctx: CoordinatorContext, req: SignRequest): Promise<SignResult & { prepared: PreparedSign }> {
  const arrivedAt = performance.now();
  const key = await ctx.keys.require(checked(() => requestKeyId(req)));
  const prepared = checked(() => prepareSign(req, key, ctx.requests));
  const authorize = () => void checked(() => prepared.authenticate());
  // Over capacity: refuse before reading the journal (a store busy with writes can be slow to answer).
  ctx.admit('sign', key.keyId);
  const sig = await ctx.once.run(`sign:${key.keyId}:${prepared.requestId}`, `${prepared.requestHash}:${prepared.digest}`, authorize, () =>
    signPrepared(ctx, key, prepared, req, authorize, arrivedAt),
  );
  return { ...sig, prepared };
}

/** A threshold signature on the prepared request's digest, with failover (online work; its budget starts at `arrivedAt`). */
export function signPrepared(ctx: CoordinatorContext, key: KeyRecord, prepared: PreparedSign, req: SignRequest, authorize: () => void, arrivedAt?: number): Promise<SignResult> {
  return ctx.online('sign', (deadline) => gatherSignature(ctx, key, prepared, req, authorize, deadline), key.keyId, arrivedAt);
}

async function gatherSignature(ctx: CoordinatorContext, key: KeyRecord, prepared: PreparedSign, request: SignRequest, authorize: () => void, deadline: AbortSignal): Promise<SignResult> {
  const { digest } = prepared;
  let pk = poolKey(key);
  ctx.pools.track(pk);
  const exclude = new Set<string>();
  const leaveOut = (peers: readonly string[]) => peers.forEach((p) => exclude.add(p));
  const tried: { peer: string; error: string }[] = []; // for the error when no set succeeds
  const log = ctx.log.child({ keyId: key.keyId });
  let lastError: unknown;
  let stale = 0; // pooled presignatures a node no longer holds (used or lost outside this coordinator)
  let rereads = 0; // the key read again after a node said it switched (STALE_KEY)
  for (let attempt = 0; attempt < MAX_SIGN_ATTEMPTS; attempt++) {
    deadline.throwIfAborted();
    // After stale pool entries, presign on demand instead of trusting the pool again.
    let taken = stale > 0 ? undefined : ctx.pools.take(pk.keyId, exclude);
    if (!taken) {
      // Presign on demand, spreading the work over every usable signer set (peers cooling down
      // after a time-out only when there is no other set).
      let sets = ctx.pools.preferredSets(pk, exclude, Infinity);
      if (sets.length === 0) sets = ctx.pools.preferredSets(pk, exclude, Infinity, (peer) => schedulable(ctx, peer));
      if (sets.length === 0) break;
      const signers = sets[ctx.nextSet() % sets.length];
      try {
        const made = presign(ctx, pk, signers, leaveOut);
        taken = { signers, ...(await beforeDeadline(made, deadline, (late) => ctx.pools.add(pk.keyId, signers, late))) };
      } catch (e) {
        if (deadline.aborted && e === deadline.reason) throw e;
        lastError = e;
        tried.push({ peer: signers.map((i) => key.parties[i]).join('+'), error: `presign: ${(e as Error).message}` });
        if (staleKey(e) && rereads < MAX_REREADS) {
          // A refresh or reshare switched the key since it was read: read it again (until the
          // switch has reached the node it is read from) and plan anew; this try does not count.
          rereads++;
          attempt--;
          const was = key.generation;
          for (let i = 0; i < 20; i++) {
            ctx.keys.dropWithDerived(pk.keyId);
            key = await ctx.keys.require(key.keyId);
            if (key.generation !== was || deadline.aborted) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          pk = poolKey(key);
          ctx.pools.track(pk);
          exclude.clear();
          stale = 0;
        }
        continue;
      }
    }
    const { signers, id, noncePoint, publicValues } = taken;
    /**
     * One call to every signer: remote signers first, then (on the first attempt) our own check,
     * then our own node. Every call gets its handlers at once (allSettled), so a failure never goes
     * unhandled. Undefined when a signer failed (handled: try again with others).
     */
    const round = async <T>(call: (i: number) => Promise<T>, checkFirst: boolean): Promise<T[] | undefined> => {
      const calls = new Map(signers.filter((i) => key.parties[i] !== ctx.nodes.self).map((i) => [i, call(i)] as const));
      const settled = Promise.allSettled(calls.values());
      if (checkFirst) {
        // Let the calls reach the sockets before the check occupies this thread (~0.4 ms);
        // otherwise they would only leave after it.
        await new Promise((r) => setImmediate(r));
        try {
          authorize();
        } catch (e) {
          if ((await settled).every((r) => r.status === 'rejected')) ctx.pools.add(pk.keyId, signers, { id, noncePoint, publicValues }); // nothing consumed
          throw e;
        }
      }
      for (const i of signers) if (!calls.has(i)) calls.set(i, call(i));
      // Replies that come after the budget are dropped: the presignature is spent either way.
      const results = await beforeDeadline(Promise.allSettled(signers.map((i) => calls.get(i)!)), deadline, () => {});
      const failures = results.flatMap((r, j) => (r.status === 'rejected' ? [[key.parties[signers[j]], r.reason as unknown] as const] : []));
      if (failures.length === 0) return results.map((r) => (r as PromiseFulfilledResult<T>).value);
      for (const [peer, e] of failures) {
        log.warn('signer failed', { peer, error: (e as Error).message });
        tried.push({ peer, error: (e as Error).message });
        if (!retryable(e)) throw toRpcError(e, 'signing refused');
        lastError = e;
        if (e instanceof DanError && e.code === 'PRESIGNATURE_UNAVAILABLE') {
          if (stale++ === 0) void ctx.pools.rebuild(pk); // resynchronise the pool with the nodes
          continue;
        }
        const named = await ctx.standings.report(peer, e);
        leaveOut(named.length ? named : [peer]);
      }
      return undefined;
    };
    const signMs = ctx.o.timeouts.signMs;
    let partials: Uint8Array[];
    let expected: ExpectedPresignature = { presignatureId: hexToBytes(`0x${id}`), noncePoint, signers };
    /** A derived key's public values, re-randomized: computed only when a partial must be named. */
    let rerandomized: (() => ReadonlyMap<number, PresignPublicValues>) | undefined;
    if (!key.derivation) {
      const replies = await round((i) => callNode(ctx, key.parties[i], NodeMethod.sign, { presignatureId: id, request }, signMs), attempt === 0);
      if (!replies) continue;
      partials = replies.map((r) => hexToBytes(`0x${r.partial}`));
    } else {
      // A derived key (sign-derived.ts on the nodes): bind and open the seeds, then the partials on
      // the re-randomized presignature; this coordinator derives delta from the same seeds.
      const openings = await round((i) => callNode(ctx, key.parties[i], NodeMethod.signBind, { presignatureId: id, request }, signMs).then((o) => wellFormed(o, key.parties[i])), attempt === 0);
      if (!openings) continue;
      const byPeer = Object.fromEntries(signers.map((i, j) => [key.parties[i], openings[j]]));
      const finals = await round((i) => callNode(ctx, key.parties[i], NodeMethod.signFinish, { presignatureId: id, keyId: key.keyId, requestId: prepared.requestId, openings: byPeer }, signMs), false);
      if (!finals) continue;
      partials = finals.map((r) => hexToBytes(`0x${r.partial}`));
      const tweak = BigInt(`0x${key.derivation.tweak}`);
      const use = { presignatureId: expected.presignatureId, noncePoint, derivedPublicKey: hexToBytes(key.publicKey as Hex), tweak, digest: hexToBytes(digest), signers, seeds: openings.map((o) => hexToBytes(`0x${o.seed}`)) };
      const delta = rerandomizerDelta(use);
      const nonce = rerandomizeNonce(noncePoint, delta);
      rerandomized = () => new Map([...publicValues].map(([p, v]) => [p, rerandomizePublicValues(v, { tweak, delta }, nonce, p)] as const));
      expected = { ...expected, noncePoint: nonce.noncePoint };
    }
    const combine = (values?: ReadonlyMap<number, PresignPublicValues>) => combineSignature({ publicKey: hexToBytes(key.publicKey as Hex), digest: hexToBytes(digest), partials, publicValues: values, expected });
    try {
      let sig;
      if (!rerandomized) sig = combine(publicValues);
      else {
        // The happy path verifies the signature only: re-randomizing the values costs ~4 ms, so it
        // is done when a partial must be named (the second combine then throws, naming it).
        try {
          sig = combine();
        } catch (e) {
          if (!(e instanceof TssError)) throw e;
          sig = combine(rerandomized());
        }
      }
      return {
        signature: bytesToHex(sig.signature),
        r: bytesToHex(sig.signature.subarray(0, 32)),
        s: bytesToHex(sig.signature.subarray(32, 64)),
        v: sig.v as 27 | 28,
      };
    } catch (e) {
      // Never return an invalid signature. A wrong partial names its signer: blame it, try others.
      lastError = e;
      const culprit = e instanceof TssError && e.party !== undefined ? key.parties[e.party] : undefined;
      log.error('partials did not combine into a valid signature', { signers, code: e instanceof TssError ? e.code : undefined, culprit, error: (e as Error).message });
      if (culprit) {
        leaveOut([culprit]);
        await ctx.standings.record({ peer: culprit, kind: 'blamed', by: ctx.nodes.self, since: Date.now(), check: (e as TssError).code, reason: (e as Error).message, protocol: 'sign', keyId: key.keyId, session: id.slice(0, 16) });
      }
    }
  }
  const usable = key.parties.filter((peer) => schedulable(ctx, peer) && !exclude.has(peer)).length;
  if (usable < key.threshold) {
    const down = key.parties.filter((peer) => !schedulable(ctx, peer)).map((peer) => `${peer} (${isLive(ctx, peer) ? 'excluded' : 'not connected'})`);
    const failed = tried.map((t) => `${t.peer} (${t.error})`);
    const why = [...down, ...failed].join('; ');
    throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `${key.threshold} signers needed, ${usable} available${why ? `: ${why}` : ''} (dan_nodes tells more)`, {
      reason: 'quorum_unavailable',
      needed: key.threshold,
      available: usable,
      tried,
    });
  }
  throw toRpcError(lastError, 'signing failed');
}

/**
 * `work`'s value, or `deadline`'s reason if it fires first; a value that arrives after that is
 * handed to `late` (a presignature nobody waits for any more still goes to the pool).
 */
function beforeDeadline<T>(work: Promise<T>, deadline: AbortSignal, late: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const expire = () => reject(deadline.reason);
    if (deadline.aborted) expire();
    else deadline.addEventListener('abort', expire, { once: true });
    work.then(
      (value) => {
        deadline.removeEventListener('abort', expire);
        if (deadline.aborted) late(value);
        else resolve(value);
      },
      (e: unknown) => {
        deadline.removeEventListener('abort', expire);
        reject(e);
      },
    );
  });
}

/** A signer's opening of its seed, checked for form (its content is checked by the other signers). */
function wellFormed(o: SignBindReply, peer: string): SignBindReply {
  if (typeof o?.seed === 'string' && /^[0-9a-f]{64}$/.test(o.seed) && typeof o.ack === 'string' && /^[0-9a-f]{128}$/.test(o.ack)) return o;
  throw new DanError('PROTOCOL_ABORTED', `signer ${peer} opened its seed in a malformed reply`, { check: 'MALFORMED_MESSAGE', suspect: peer });
}

/** True when another signer set may succeed where this error failed (src/errors registry). */
/** A node holds another generation of the key than the one the call was planned with. */
export function staleKey(e: unknown): boolean {
  return (e as { code?: unknown }).code === 'STALE_KEY' || (e instanceof RpcError && e.data?.code === 'STALE_KEY');
}

function retryable(e: unknown): boolean {
  return !(e instanceof DanError) || e.retryable;
}

/** 33 bytes of hex (a compressed point), or undefined. */
export function hexBytes(v: unknown): Uint8Array | undefined {
  return typeof v === 'string' && /^[0-9a-f]{66}$/.test(v) ? new Uint8Array(Buffer.from(v, 'hex')) : undefined;
}

/** True when the signers' presignature public values pass the engine's sums check. */
export function consistent(values: ReadonlyMap<number, PresignPublicValues>): boolean {
  try {
    checkPublicValues(values);
    return true;
  } catch {
    return false;
  }
}

/**
 * One presign session among `signers`: every signer must store the same presignature, and their
 * public values must be consistent, else nothing is pooled. Failures are reported (blame) and the
 * peers they name are handed to `leaveOut`.
 */
export async function presign(ctx: CoordinatorContext, key: PoolKey, signers: number[], leaveOut: (peers: readonly string[]) => void = () => {}): Promise<Pooled> {
  const sessionId = bytesToHex(randomBytes(32));
  const peers = signers.map((i) => key.parties[i]);
  const replies = await everyNode(
    ctx,
    peers,
    'presigning failed',
    (peer) => callNode(ctx, peer, NodeMethod.presign, { sessionId, keyId: key.keyId, signers, ...(key.generation ? { generation: key.generation } : {}) }, ctx.o.timeouts.presignMs + 1000),
    leaveOut,
  );
  const id = replies[0].presignatureId;
  const noncePoint = hexBytes(replies[0].noncePoint);
  if (!noncePoint || replies.some((r) => r.presignatureId !== id || r.noncePoint !== replies[0].noncePoint)) {
    throw new DanError('PROTOCOL_ABORTED', 'signers disagree on the presignature id or its nonce point', { signers: peers });
  }
  const publicValues = new Map<number, PresignPublicValues>();
  replies.forEach((r, j) => {
    const v = publicValuesFromWire(r.publicValues);
    if (v) publicValues.set(signers[j], v);
  });
  if (publicValues.size !== signers.length || !consistent(publicValues)) {
    throw new DanError('PROTOCOL_ABORTED', "the signers' presignature public values are missing or inconsistent; not pooled", { signers: peers, check: 'CONSISTENCY_CHECK_FAILED' });
  }
  return { id, noncePoint, publicValues };
}

/**
 * Ask every node in `peers`; all must answer. A failure is reported to the standings (which
 * record blame) as soon as it arrives, and the peers it names are handed to `leaveOut`. After
 * the first failure the others get FAILURE_GRACE_MS to report too (a session that failed at one
 * node fails at all; a cheater need not answer at all), and a node that others say aborted the
 * session (PEER_ABORTED) gets up to ABORTER_GRACE_MS: its own report names the suspect, and comes
 * only once its ban is on disk; so do the others when the only failure so far is a node's proof
 * against its own key (which names nobody). Then the most telling failure (one that names a
 * suspect, else the first) is thrown as the RpcError the caller sees, prefixed with `what`.
 */
export function everyNode<T>(
  ctx: Pick<CoordinatorContext, 'standings'>,
  peers: readonly string[],
  what: string,
  ask: (peer: string) => Promise<T>,
  leaveOut: (peers: readonly string[]) => void = () => {},
): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const values: T[] = new Array(peers.length);
    const failures: unknown[] = [];
    const reports: Promise<unknown>[] = [];
    let pending = peers.length;
    const answered = new Set<string>();
    let firstFailureAt = 0;
    let timer: NodeJS.Timeout | undefined;
    let failed = false;
    const aborterSilent = () =>
      failures.some((e) => e instanceof DanError && e.code === 'PEER_ABORTED' && typeof e.context.peer === 'string' && peers.includes(e.context.peer) && !answered.has(e.context.peer));
    // A node whose own key signed two round-1 broadcasts names nobody (it may be the equivocator's
    // own engine); the parties that received the other broadcast name the equivocator.
    const selfProven = () =>
      failures.some((e) => e instanceof DanError && typeof e.context.proof === 'string' && e.context.suspect === undefined) &&
      !failures.some((e) => e instanceof DanError && typeof e.context.suspect === 'string');
    const settle = () => {
      if (!failed && (aborterSilent() || selfProven()) && performance.now() - firstFailureAt < ABORTER_GRACE_MS) timer = setTimeout(settle, 25);
      else fail();
    };
    const fail = () => {
      if (failed) return;
      failed = true;
      clearTimeout(timer);
      const telling = failures.find((e) => e instanceof DanError && typeof e.context.suspect === 'string') ?? failures[0];
      void Promise.allSettled(reports).then(() => reject(toRpcError(telling, what)));
    };
    peers.forEach((peer, j) =>
      ask(peer).then(
        (v) => {
          values[j] = v;
          answered.add(peer);
          if (--pending === 0) (failures.length ? fail() : resolve(values));
        },
        (e: unknown) => {
          failures.push(e);
          answered.add(peer);
          reports.push(ctx.standings.report(peer, e).then(leaveOut));
          if (failures.length === 1) {
            firstFailureAt = performance.now();
            timer = setTimeout(settle, FAILURE_GRACE_MS);
          }
          if (--pending === 0) fail();
        },
      ),
    );
  });
}

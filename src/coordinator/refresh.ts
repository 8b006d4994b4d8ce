// Refreshing a key through the network (docs/refresh.md): new shares, OT correlations and
// zero-share seeds at every party, the same public key and address. Two phases, so that the switch
// is agreed by all and a crash at any point leaves a usable key:
// 1. every party runs the engine's refresh and keeps the new share *pending* next to the one in
//    use, then acknowledges the new generation with its identity key;
// 2. with all n acknowledgements, each party switches (one fsynced batch: new share, every
//    presignature of the old generation invalidated). A party checks every acknowledgement itself.
// Before phase 1 the parties are asked where they stand: when some already switched to a
// generation that the others hold pending (a commit cut short), the commit is finished with the
// acknowledgements the switched parties kept, instead of starting over.
import { randomBytes } from 'node:crypto';
import { bytesToHex } from 'viem';
import { DanError } from '../errors/index.ts';
import type { Logger } from '../log/logger.ts';
import { NodeMethod, type CommitRefreshReply, type RefreshCall, type RefreshReply, type RefreshStateReply } from '../node/api.ts';
import type { RefreshKeyParams } from '../rpc/index.ts';

export interface RefreshLink {
  call<T>(peer: string, method: string, body: unknown, timeoutMs: number): Promise<T>;
}

export interface RefreshOptions {
  nodes: RefreshLink;
  /** Deadline of the refresh protocol itself (the DKG time-out). */
  keyGenMs: number;
  /** Deadline of the small calls (state, commit). */
  callMs: number;
  /** Learn from a failed call (blame, cool-downs); see PeerStandings.report. */
  report(node: string, e: unknown): Promise<unknown>;
  log: Logger;
}

export type RefreshAuthorization = { request: RefreshKeyParams } | { operator: true };

/** Refresh `keyId` held by `parties`; resolves with the generation every party switched to. */
export async function refreshKey(o: RefreshOptions, keyId: string, parties: readonly string[], how: RefreshAuthorization): Promise<{ generation: string; resumed: boolean }> {
  const log = o.log.child({ keyId });
  const states = await everyParty(o, parties, 'not every party could say where the key stands', (peer) =>
    o.nodes.call<RefreshStateReply>(peer, NodeMethod.refreshState, { keyId }, o.callMs),
  );
  const unfinished = states.find((s) => s.acks && states.every((t) => t.generation === s.generation || t.pending === s.generation));
  if (unfinished && states.some((t) => t.generation !== unfinished.generation)) {
    log.warn('finishing an interrupted refresh', { generation: unfinished.generation.slice(0, 16) });
    await commit(o, keyId, parties, unfinished.generation, unfinished.acks!);
    return { generation: unfinished.generation, resumed: true };
  }
  if (new Set(states.map((s) => s.generation)).size > 1) {
    throw new DanError('REFRESH_MISMATCH', `the parties of ${keyId} hold different generations and none can be finished; an operator must look`, { keyId, generations: states.map((s) => s.generation) });
  }
  const sessionId = bytesToHex(randomBytes(32));
  const started = performance.now();
  const replies = await everyParty(o, parties, 'refresh failed', (peer) =>
    o.nodes.call<RefreshReply>(peer, NodeMethod.refresh, { sessionId, keyId, ...how } satisfies RefreshCall, o.keyGenMs + 2000),
  );
  const generation = replies[0].generation;
  if (replies.some((r) => r.generation !== generation)) {
    throw new DanError('REFRESH_MISMATCH', 'the parties finished the refresh with different generations; nothing was switched', { keyId });
  }
  const acks = Object.fromEntries(parties.map((peer, i) => [peer, replies[i].ack]));
  await commit(o, keyId, parties, generation, acks);
  log.info('key refreshed', { generation: generation.slice(0, 16), ms: Math.round(performance.now() - started) });
  return { generation, resumed: false };
}

async function commit(o: RefreshOptions, keyId: string, parties: readonly string[], generation: string, acks: Record<string, string>): Promise<void> {
  await everyParty(o, parties, `the switch to generation ${generation.slice(0, 16)} did not reach every party; run the refresh again to finish it`, (peer) =>
    o.nodes.call<CommitRefreshReply>(peer, NodeMethod.commitRefresh, { keyId, generation, acks }, o.callMs),
  );
}

/** Ask every party; all must answer. Failures are reported, then the one that caused the others is thrown with `what`. */
export async function everyParty<T>(o: Pick<RefreshOptions, 'report'>, parties: readonly string[], what: string, ask: (peer: string) => Promise<T>): Promise<T[]> {
  const results = await Promise.allSettled(parties.map(ask));
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [[parties[i], r.reason as unknown] as const] : []));
  for (const [peer, e] of failed) await o.report(peer, e);
  if (failed.length) {
    // The cause, not its echo: a party that refused (or named a culprit) before those that were told the session ended, or timed out waiting.
    const echo = (e: unknown) => ['PEER_ABORTED', 'TIMEOUT'].includes((e as { code?: string }).code ?? '');
    const [peer, e] = failed.find(([, x]) => !echo(x)) ?? failed[0];
    const cause = e instanceof DanError ? e : new DanError('INTERNAL', (e as Error).message);
    throw new DanError(cause.code as never, `${what}: ${peer}: ${cause.message}`, cause.context, { cause });
  }
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

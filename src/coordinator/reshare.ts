// Resharing a key through the network (docs/reshare.md): the same public key and address, held
// by another set of parties with another threshold. Two phases, as for a refresh:
// 1. the dealers (live holders of the current generation: those staying first, leaving ones only
//    when too few stay) and every new party run the engine's reshare; receivers keep their new
//    share pending and acknowledge it with their identity key; signing goes on with the old
//    generation meanwhile;
// 2. with every new party's acknowledgement, each new party switches (one fsynced batch) and each
//    holder left out deletes its share (a dead one cannot: the others refuse it as not a party).
// Before phase 1 the parties are asked where they stand: a switch cut short (some new parties
// switched, the others hold the generation pending) is finished with the acknowledgements the
// switched parties kept, instead of starting over; a key already at the target is left alone.
import { randomBytes } from 'node:crypto';
import { bytesToHex } from 'viem';
import { DanError } from '../errors/index.ts';
import { NodeMethod, type CommitReshareReply, type KeyRecord, type ReshareCall, type ReshareReply, type ReshareStateReply } from '../node/api.ts';
import { everyParty, type RefreshOptions } from './refresh.ts';

/** How long a joining party may take to copy a master's derived keys from the dealers (after the protocol). */
const JOINER_COPY_MS = 300_000;

export interface ReshareTarget {
  /** The new parties, in new party order. */
  parties: string[];
  threshold: number;
}

export interface ReshareOptions extends RefreshOptions {
  isLive(peer: string): boolean;
}

export interface ReshareOutcome {
  generation: string;
  /** fresh: a reshare ran; resumed: an interrupted switch was finished; unchanged: the key was at the target already. */
  how: 'fresh' | 'resumed' | 'unchanged';
  dealers: string[];
  /** Old parties that were not told to delete their share (down at the commit). */
  notLeft: string[];
  ms: number;
}

export async function reshareKey(o: ReshareOptions, key: KeyRecord, target: ReshareTarget): Promise<ReshareOutcome> {
  const { keyId } = key;
  const log = o.log.child({ keyId });
  const started = performance.now();
  const down = target.parties.filter((p) => !o.isLive(p));
  if (down.length) throw new DanError('QUORUM_UNAVAILABLE', `every new party must be up; down: ${down.join(', ')}`, { keyId, down });
  const everyone = [...new Set([...key.parties, ...target.parties])].filter((p) => o.isLive(p));
  const states = new Map<string, ReshareStateReply>();
  await Promise.all(
    everyone.map(async (peer) => {
      const s = await o.nodes.call<ReshareStateReply>(peer, NodeMethod.reshareState, { keyId }, o.callMs).catch(() => undefined);
      if (s) states.set(peer, s);
    }),
  );
  const atTarget = (s: ReshareStateReply | undefined) => s?.threshold === target.threshold && s.parties?.join() === target.parties.join();
  const leavers = key.parties.filter((p) => !target.parties.includes(p));

  // A switch cut short: finish it. Or nothing to do.
  const switched = target.parties.map((p) => states.get(p)).find((s) => atTarget(s) && s?.acks);
  if (switched && target.parties.every((p) => [states.get(p)?.generation, states.get(p)?.pending].includes(switched.generation))) {
    const generation = switched.generation!;
    const unfinished = target.parties.some((p) => states.get(p)?.generation !== generation) || leavers.some((p) => states.get(p)?.generation);
    if (unfinished) log.warn('finishing an interrupted reshare', { generation: generation.slice(0, 16) });
    const notLeft = unfinished ? await commit(o, key, target, generation, switched.acks!) : [];
    return { generation, how: unfinished ? 'resumed' : 'unchanged', dealers: [], notLeft, ms: Math.round(performance.now() - started) };
  }

  // Dealers: holders of the generation most live holders have.
  const holders = key.parties.filter((p) => states.get(p)?.generation);
  const counts = new Map<string, number>();
  for (const p of holders) counts.set(states.get(p)!.generation!, (counts.get(states.get(p)!.generation!) ?? 0) + 1);
  const current = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const sameGeneration = holders.filter((p) => states.get(p)!.generation === current && states.get(p)!.parties?.join() === key.parties.join());
  const staying = sameGeneration.filter((p) => target.parties.includes(p));
  const dealers = staying.length >= key.threshold ? staying : [...staying, ...sameGeneration.filter((p) => !staying.includes(p)).slice(0, key.threshold - staying.length)];
  if (dealers.length < key.threshold) {
    throw new DanError('QUORUM_UNAVAILABLE', `${key.threshold} live holders of ${keyId}'s current generation must deal; ${dealers.length} found (${dealers.join(', ') || 'none'})`, { keyId });
  }
  dealers.sort((a, b) => key.parties.indexOf(a) - key.parties.indexOf(b));
  const session = [...dealers, ...target.parties.filter((p) => !dealers.includes(p))];
  const sessionId = bytesToHex(randomBytes(32));
  log.info('reshare started', { threshold: target.threshold, parties: target.parties.length, dealers: dealers.length });
  const replies = await everyParty(o, session, 'reshare failed (the old generation stays in use; run it again)', (peer) =>
    o.nodes.call<ReshareReply>(peer, NodeMethod.reshare, { sessionId, keyId, ...target, dealers } satisfies ReshareCall, o.keyGenMs + (key.master ? JOINER_COPY_MS : 5000)),
  );
  const generation = replies[0].generation;
  if (replies.some((r) => r.generation !== generation)) {
    throw new DanError('RESHARE_MISMATCH', 'the parties finished the reshare with different generations; nothing was switched', { keyId });
  }
  const acks = Object.fromEntries(target.parties.map((p) => [p, replies[session.indexOf(p)].ack!]));
  const notLeft = await commit(o, key, target, generation, acks);
  const ms = Math.round(performance.now() - started);
  log.info('key reshared', { generation: generation.slice(0, 16), ms });
  return { generation, how: 'fresh', dealers, notLeft, ms };
}

/** Switch every new party (all must), then tell the live holders left out; returns the ones not told. */
async function commit(o: ReshareOptions, key: KeyRecord, target: ReshareTarget, generation: string, acks: Record<string, string>): Promise<string[]> {
  const body = { keyId: key.keyId, generation, ...target, acks };
  await everyParty(o, target.parties, `the switch to generation ${generation.slice(0, 16)} did not reach every new party; run the reshare again to finish it`, (peer) =>
    o.nodes.call<CommitReshareReply>(peer, NodeMethod.commitReshare, body, o.callMs),
  );
  const leavers = key.parties.filter((p) => !target.parties.includes(p));
  const told = await Promise.all(leavers.map((p) => (o.isLive(p) ? o.nodes.call<CommitReshareReply>(p, NodeMethod.commitReshare, body, o.callMs).then(() => true, () => false) : false)));
  return leavers.filter((_, i) => !told[i]);
}

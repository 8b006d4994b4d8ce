// Read-only node methods: a key's record, an owner's keys, the presignatures held for a key, and
// this node's bans, suspensions and blames (evidence by hash and size; `dan-node bans show` has the copy).
import type { KeyInfoCall, KeyRecord, ListKeysCall, PeerRecordsReply, PresignaturesCall, PresignaturesReply } from './api.ts';
import { NodeError } from './api.ts';
import { derivedRecord, type NodeContext } from './context.ts';

export async function keyInfo(ctx: NodeContext, call: KeyInfoCall): Promise<KeyRecord | null> {
  if (typeof call?.keyId !== 'string') throw new NodeError('BAD_CALL', 'keyId must be a string');
  try {
    return (await ctx.keys.get(call.keyId)).meta;
  } catch (e) {
    if (e instanceof NodeError && e.code === 'UNKNOWN_KEY') return null;
    throw e;
  }
}

export async function listKeys(ctx: NodeContext, call: ListKeysCall): Promise<KeyRecord[]> {
  if (typeof call?.owner !== 'string') throw new NodeError('BAD_CALL', 'owner must be an address');
  const owner = call.owner.toLowerCase();
  const keys = (await ctx.store.listKeys()) as KeyRecord[];
  const masters = new Map(keys.filter((k) => k.master).map((k) => [k.keyId, k]));
  return keys.flatMap((k) => {
    if (k.owner.toLowerCase() !== owner) return [];
    if (!k.derivation) return [k];
    // A derived key stands on its master as it is now (a reshare changes its parties); without it, it serves nothing.
    const master = masters.get(k.derivation.master);
    return master ? [derivedRecord(k, master)] : [];
  });
}

export async function presignatures(ctx: NodeContext, call: PresignaturesCall): Promise<PresignaturesReply> {
  await ctx.keys.get(call?.keyId);
  return { presignatures: (await ctx.store.listPresignatures(call.keyId)) as PresignaturesReply['presignatures'] };
}

export function peerRecords(ctx: NodeContext): PeerRecordsReply {
  return { records: ctx.guard.list().map(({ evidence, ...r }) => (evidence ? { ...r, evidence: { sha256: evidence.sha256, bytes: evidence.bytes } } : r)) };
}

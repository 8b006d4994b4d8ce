// node.sign: the online step. The node authorizes the request itself before anything else
// (src/requests: the user's signature valid now for an allowed signer, the key's policy, the userOp
// against what the user signed) and derives the one digest to sign. Then, in one locked step, it
// consumes the presignature and computes the partial; one fsynced batch holds the consumption, the
// journal entry (digest and partial) and the request marker (key, requestId -> request hash and
// digest) before the partial is returned. So:
// - a request id names one digest forever on this node: another digest (another userOp built for
//   the same request, by this coordinator or another) is refused with REQUEST_CONFLICT;
// - a retried call (same request, same presignature) gets the same partial, but only with a valid
//   authorization: nothing journalled is read before the request is authorized;
// - a presignature never signs two digests.
import { bytesToHex, hexToBytes } from 'viem';
import { authorizeSign, requestKeyId, type AuthorizedSign } from '../requests/index.ts';
import { isStoreError } from '../store/index.ts';
import { Presignature, type KeyShare } from '../tss/index.ts';
import { NodeError, type KeyRecord, type SignCall, type SignReply } from './api.ts';
import { isHex32, strip0x, type NodeContext } from './context.ts';

export async function sign(ctx: NodeContext, call: SignCall): Promise<SignReply> {
  if (!call || typeof call !== 'object') throw new NodeError('BAD_CALL', 'a sign call needs presignatureId and request');
  const { meta, share } = await ctx.keys.get(requestKeyId(call.request));
  if (meta.derivation) throw new NodeError('BAD_CALL', `key ${meta.keyId} is derived: it signs with node.signBind and node.signFinish`);
  if (meta.master) throw new NodeError('UNAUTHORIZED', `key ${meta.keyId} is a master key: it signs nothing itself`);
  const authorized = authorizeSign(call.request, meta, ctx.requests);
  return signDigest(ctx, meta, share, call.presignatureId, authorized);
}

async function signDigest(ctx: NodeContext, meta: KeyRecord, share: KeyShare, presignatureIdRaw: unknown, r: AuthorizedSign): Promise<SignReply> {
  if (!isHex32(presignatureIdRaw)) throw new NodeError('BAD_CALL', 'presignatureId must be 32 bytes of hex');
  const presignatureId = strip0x(presignatureIdRaw);
  const digestHex = strip0x(r.digest);
  const journalKey = `sign:${r.keyId}:${r.requestId}:${presignatureId}`;
  const digest = hexToBytes(r.digest);
  const conflict = () => new NodeError('REQUEST_CONFLICT', `requestId already used on key ${r.keyId} for another request or digest`, { keyId: r.keyId });
  let used;
  try {
    used = await ctx.store.consumeAndUse(
      r.keyId,
      presignatureId,
      { requestId: journalKey, entry: { method: 'sign', requestHash: r.requestHash, presignatureId, digest: digestHex, createdAt: Date.now() } },
      (record) => {
        const presignature = Presignature.fromRecord(record);
        // No work with a banned peer: refused before anything is written (the presignature stays pooled).
        ctx.guard.assertUsable(presignature.signers.map((i) => meta.parties[i]), 'sign');
        return { record, result: { partial: bytesToHex(presignature.sign(share, digest)).slice(2) } satisfies SignReply };
      },
      { requestId: `sign-request:${r.keyId}:${r.requestId}`, entry: { method: 'sign-request', requestHash: r.requestHash, digest: digestHex, createdAt: Date.now() } },
    );
  } catch (e) {
    if (isStoreError(e, 'STORE_CONFLICT')) throw conflict();
    throw e;
  }
  if (used) return used.result;
  // Not in the pool: a retry of this very call gets its journalled answer; anything else fails.
  const previous = await ctx.store.getJournal(journalKey);
  if (previous && (previous.requestHash !== r.requestHash || previous.digest !== digestHex)) throw conflict();
  const result = previous?.result as SignReply | undefined;
  if (result?.partial) return result;
  throw new NodeError('PRESIGNATURE_UNAVAILABLE', `no presignature ${presignatureId.slice(0, 16)} for key ${r.keyId}`);
}

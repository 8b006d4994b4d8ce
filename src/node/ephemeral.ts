// node.addEphemeralKey (legacy wallet-provider): the key's owner registers another ephemeral key.
// The node checks the owner's signature on the client's frames itself, and applies the
// registration rule of src/requests (an id is never re-registered with another public key or a
// not-later expiry): replayed frames are refused by every node.
import { addEphemeralKeyId, authorizeAddEphemeralKey, checkKeyLive, registerEphemeralKey } from '../requests/index.ts';
import type { AddEphemeralKeyCall, AddEphemeralKeyReply, KeyRecord } from './api.ts';
import type { NodeContext } from './context.ts';

export async function addEphemeralKey(ctx: NodeContext, call: AddEphemeralKeyCall): Promise<AddEphemeralKeyReply> {
  const keyId = addEphemeralKeyId(call?.legacy);
  const { meta } = await ctx.keys.get(keyId);
  checkKeyLive(meta, ctx.requests);
  const claim = await authorizeAddEphemeralKey(call.legacy, meta);
  const updated = (await ctx.store.updateKeyMeta(keyId, (old) => ({ ...old, ephemeralKeys: registerEphemeralKey((old as KeyRecord).ephemeralKeys ?? [], claim) }))) as KeyRecord;
  ctx.keys.drop(keyId);
  ctx.log.info('ephemeral key added', { keyId, expiry: claim.expiry, live: (updated.ephemeralKeys ?? []).filter((k) => k.expiry > Date.now() / 1000).length });
  return { ephId: claim.ephId };
}

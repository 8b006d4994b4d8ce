// The online step for a derived key (docs/derived-keys.md): two calls instead of node.sign's one,
// because the re-randomizer delta needs every signer's seed and no seed may be opened before its
// signer has bound the presignature to one use.
// - node.signBind: the node checks the request exactly as node.sign does (src/requests), then in
//   one fsynced batch takes the master key's presignature out of the pool, tombstones it and
//   journals the binding (derived key, request, digest, signers) with the request marker (a request
//   id names one digest forever: another is REQUEST_CONFLICT). Only then does it open its seed, with
//   its identity signature on binding and seed. A presignature is bound at most once: for any other
//   use it is PRESIGNATURE_UNAVAILABLE, as a consumed one is for node.sign.
// - node.signFinish: given every signer's opening, the node checks each signature (so every signer
//   bound the very same use: no split view), and that each seed opens the commitment that signer
//   made while presigning (the engine names one that does not: it signed a false seed), derives
//   delta and returns its partial for (Y, delta*R). The partial is journalled: a retry gets it again.
import { bytesToHex, hexToBytes, type Hex } from 'viem';
import { authorizeSign, requestKeyId } from '../requests/index.ts';
import { isStoreError } from '../store/index.ts';
import { Presignature, TssError } from '../tss/index.ts';
import { NodeError, signBindStatement, type KeyRecord, type SignBindCall, type SignBindReply, type SignFinishCall, type SignReply } from './api.ts';
import { hex, isHex32, strip0x, type LoadedKey, type NodeContext } from './context.ts';
import { loadKey } from './adopt-derived.ts';

/** What the binding's journal entry keeps (public: the seed is opened once bound). */
interface Binding {
  keyId: string;
  requestId: string;
  signers: number[];
  seed: string;
  partial?: string;
}

export async function signBind(ctx: NodeContext, call: SignBindCall): Promise<SignBindReply> {
  if (!call || typeof call !== 'object') throw new NodeError('BAD_CALL', 'a signBind call needs presignatureId and request');
  const key = derived(await loadKey(ctx, requestKeyId(call.request)));
  const { meta } = key;
  const r = authorizeSign(call.request, meta, ctx.requests);
  const presignatureId = presignatureIdOf(call.presignatureId);
  const master = meta.derivation.master;
  const bindId = bindingId(master, presignatureId);
  const digest = strip0x(r.digest);
  const createdAt = Date.now();
  let bound: Binding | undefined;
  try {
    bound = await ctx.store.bindPresignature(
      master,
      presignatureId,
      { requestId: bindId, entry: { method: 'sign-bind', requestHash: r.requestHash, presignatureId, digest, createdAt } },
      (record) => {
        const p = Presignature.fromRecord(record);
        ctx.guard.assertUsable(p.signers.map((i) => meta.parties[i]), 'sign');
        if (!p.rerandomizable) throw new NodeError('PRESIGNATURE_UNAVAILABLE', `presignature ${presignatureId.slice(0, 16)} predates re-randomization`);
        return { keyId: meta.keyId, requestId: r.requestId, signers: [...p.signers], seed: hex(p.rerandomizerSeed) } satisfies Binding;
      },
      { requestId: `sign-request:${r.keyId}:${r.requestId}`, entry: { method: 'sign-request', requestHash: r.requestHash, digest, createdAt } },
    );
  } catch (e) {
    if (isStoreError(e, 'STORE_CONFLICT')) throw new NodeError('REQUEST_CONFLICT', `requestId already used on key ${meta.keyId} for another request or digest`, { keyId: meta.keyId });
    throw e;
  }
  if (!bound) {
    // Not in the pool: a retry of this very binding gets its opening again; anything else fails.
    const previous = await ctx.store.getJournal(bindId);
    const b = previous?.result as Binding | undefined;
    if (!previous || !b) throw new NodeError('PRESIGNATURE_UNAVAILABLE', `no presignature ${presignatureId.slice(0, 16)} for master key ${master}`);
    if (previous.requestHash !== r.requestHash || previous.digest !== digest || b.keyId !== meta.keyId) {
      throw new NodeError('PRESIGNATURE_UNAVAILABLE', `presignature ${presignatureId.slice(0, 16)} of master key ${master} is already bound to another use`);
    }
    bound = b;
  }
  const statement = signBindStatement({ master, presignatureId, keyId: meta.keyId, digest, signers: bound.signers, seed: bound.seed });
  return { seed: bound.seed, ack: bytesToHex(await ctx.signer.sign(statement)).slice(2) };
}

export async function signFinish(ctx: NodeContext, call: SignFinishCall): Promise<SignReply> {
  if (!call || typeof call !== 'object' || typeof call.requestId !== 'string' || typeof call.openings !== 'object' || call.openings === null) {
    throw new NodeError('BAD_CALL', 'a signFinish call needs presignatureId, keyId, requestId and openings');
  }
  const key = derived(await ctx.keys.get(call.keyId));
  const { meta } = key;
  const presignatureId = presignatureIdOf(call.presignatureId);
  const master = meta.derivation.master;
  const bindId = bindingId(master, presignatureId);
  const binding = await ctx.store.getJournal(bindId);
  const b = binding?.result as Binding | undefined;
  if (!binding || !b || b.keyId !== meta.keyId || b.requestId !== call.requestId) {
    throw new NodeError('PRESIGNATURE_UNAVAILABLE', `presignature ${presignatureId.slice(0, 16)} is not bound here to request ${call.requestId} of key ${meta.keyId}`);
  }
  if (b.partial) return { partial: b.partial };
  ctx.guard.assertUsable(b.signers.map((i) => meta.parties[i]), 'sign');
  const digest = binding.digest!;
  const seeds: Uint8Array[] = [];
  for (const i of b.signers) {
    const peer = meta.parties[i];
    const o = call.openings[peer];
    if (!o || typeof o.seed !== 'string' || !/^[0-9a-f]{64}$/.test(o.seed) || typeof o.ack !== 'string' || !/^[0-9a-f]{128}$/.test(o.ack)) {
      throw new NodeError('BAD_CALL', `no well-formed opening from signer ${peer}`);
    }
    if (peer === ctx.self) {
      if (o.seed !== b.seed) throw new NodeError('BAD_CALL', "the opening given as this node's is not its seed");
    } else if (!(await ctx.signer.verify(peer, signBindStatement({ master, presignatureId, keyId: meta.keyId, digest, signers: b.signers, seed: o.seed }), hexToBytes(`0x${o.ack}`)))) {
      // Another binding (a split view), or a forged opening: who is to blame cannot be told here.
      throw new NodeError('PROTOCOL_ABORTED', `signer ${peer} did not bind presignature ${presignatureId.slice(0, 16)} to this use (or its opening was altered)`, { check: 'BINDING_MISMATCH', peer, session: presignatureId.slice(0, 16) });
    }
    seeds.push(hexToBytes(`0x${o.seed}`));
  }
  const use = { derivedPublicKey: hexToBytes(meta.publicKey as Hex), tweak: BigInt(`0x${meta.derivation.tweak}`), digest: hexToBytes(`0x${digest}`), seeds };
  let made;
  try {
    made = await ctx.store.useBound(master, presignatureId, bindId, (record) => ({ partial: bytesToHex(Presignature.fromRecord(record).signDerived(key.share, use)).slice(2) }));
  } catch (e) {
    if (!(e instanceof TssError) || e.code !== 'INVALID_COMMITMENT' || e.party === undefined) throw e;
    // The signer signed a seed that does not open its own commitment: provably its deviation.
    const suspect = meta.parties[e.party];
    const site = { protocol: 'sign', session: presignatureId.slice(0, 16), keyId: meta.keyId };
    if (suspect !== ctx.self) await ctx.guard.noteAbort(suspect, e.code, site);
    throw new NodeError('PROTOCOL_ABORTED', `sign aborted: ${e.message}`, { check: e.code, suspect, ...site });
  }
  if (made) return made;
  const after = (await ctx.store.getJournal(bindId))?.result as Binding | undefined;
  if (after?.partial) return { partial: after.partial };
  throw new NodeError('PRESIGNATURE_UNAVAILABLE', `presignature ${presignatureId.slice(0, 16)} is no longer bound here (the master key was refreshed?)`);
}

type DerivedKey = LoadedKey & { meta: KeyRecord & { derivation: NonNullable<KeyRecord['derivation']> } };

function derived(key: LoadedKey): DerivedKey {
  if (!key.meta.derivation) throw new NodeError('BAD_CALL', `key ${key.meta.keyId} is not a derived key: use node.sign`);
  return key as DerivedKey;
}

function presignatureIdOf(raw: unknown): string {
  if (!isHex32(raw)) throw new NodeError('BAD_CALL', 'presignatureId must be 32 bytes of hex');
  return strip0x(raw);
}

const bindingId = (master: string, presignatureId: string) => `sign-bind:${master}:${presignatureId}`;

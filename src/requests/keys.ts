// The key-management requests, checked by the coordinator and every node with the same code:
// - keyGen (native dan_keyGen signed by the owner it names, or a legacy keygen signed by the EOA)
//   -> KeyGenTerms, from which every party derives the same key id (bound to the network);
// - dan_refreshKey, signed by the key's owner;
// - legacy addEphemeralKey, signed by the key's owner, and the registration rule: an ephemeral key
//   id, once registered with a key, is never registered again with another public key or a
//   not-later expiry, so replayed frames cannot restore a superseded (maybe leaked) key.
import { createHash } from 'node:crypto';
import type { Hex } from 'viem';
import { checkAddEphemeralKey, checkKeygen, type LegacyRequest } from '../compat/requests.ts';
import { parseAddEphemeralKeySetup, type EphemeralClaim } from '../compat/frames.ts';
import { validateParams, type DanParams } from '../rpc/schema.ts';
import { authenticate } from './authorize.ts';
import { RequestError } from './errors.ts';
import { parsePolicy } from './policy.ts';
import type { KeyTerms, RequestContext } from './types.ts';

export type { KeyGenParams, RefreshKeyParams } from '../rpc/schema.ts';

/** What an authenticated key-generation request allows, native or legacy. */
export interface KeyGenTerms {
  /** The signed request's content hash: the key id derives from it. */
  digest: Hex;
  owner: string;
  threshold: number;
  parties: number | readonly string[] | undefined;
  authorizedSigners: string[];
  expiresAt: number;
  policy?: unknown;
  ephemeralKeys?: EphemeralClaim[];
  /** The owner asked for a key of its own (a full DKG), not a derived one. */
  isolated?: boolean;
  requestId: string;
}

/** The most ephemeral key ids one key keeps (live and expired). */
export const MAX_EPHEMERAL_KEYS = 64;

/** Key ids derive from the network and the owner's signed request: every party computes the same one. */
export function deriveKeyId(network: string, requestDigest: Hex): string {
  const digest = (requestDigest.startsWith('0x') ? requestDigest.slice(2) : requestDigest).toLowerCase();
  return 'key_' + createHash('sha256').update(`dan-node/key-id/${network}/`).update(digest).digest('hex').slice(0, 32);
}

/** A checked dan_keyGen (signed by the owner it names; the policy parses). */
export function nativeKeyGenTerms(raw: unknown, ctx: RequestContext): KeyGenTerms {
  const request = checked('dan_keyGen', raw);
  const { content } = authenticate('dan_keyGen', request, ctx, [request.owner]);
  parsePolicy(request.policy); // a malformed policy is refused before any work
  return {
    digest: content,
    owner: request.owner,
    threshold: request.threshold,
    parties: request.parties,
    authorizedSigners: [...(request.authorizedSigners ?? [])],
    expiresAt: request.expiresAt ?? 0,
    policy: request.policy,
    ...(request.isolated ? { isolated: true } : {}),
    requestId: request.requestId,
  };
}

/** A checked legacy keygen: the EOA owns the key, its ephemeral key may sign. */
export async function legacyKeyGenTerms(legacy: LegacyRequest): Promise<KeyGenTerms> {
  const c = await checkKeygen(legacy);
  return {
    digest: c.digest,
    owner: c.owner,
    threshold: c.t,
    parties: c.n,
    authorizedSigners: [],
    expiresAt: 0,
    ephemeralKeys: [c.ephemeralKey],
    requestId: `legacy-keygen:${c.digest.slice(2, 34)}`,
  };
}

/** A checked dan_refreshKey for `key`, signed by its owner. */
export function authorizeRefresh(raw: unknown, key: KeyTerms, ctx: RequestContext): DanParams<'dan_refreshKey'> {
  const request = checked('dan_refreshKey', raw);
  if (request.keyId !== key.keyId) throw new RequestError('BAD_CALL', 'the request names another key');
  authenticate('dan_refreshKey', request, ctx, [key.owner]);
  return request;
}

/** A checked legacy addEphemeralKey for `key` (signed by its owner, for its party count). */
export async function authorizeAddEphemeralKey(legacy: LegacyRequest, key: KeyTerms & { parties: readonly string[] }): Promise<EphemeralClaim> {
  const c = await checkAddEphemeralKey(legacy);
  if (c.keyId !== key.keyId) throw new RequestError('BAD_CALL', 'the request names another key');
  if (c.signer.toLowerCase() !== key.owner.toLowerCase()) throw new RequestError('UNAUTHORIZED', 'only the key owner can add an ephemeral key');
  if (c.n !== key.parties.length) throw new RequestError('BAD_CALL', `n = ${c.n}, but the key has ${key.parties.length} parties`);
  return c.ephemeralKey;
}

/** The key id an addEphemeralKey request names (to look the key up first). */
export function addEphemeralKeyId(legacy: LegacyRequest): string {
  const setup = (legacy as { setup?: unknown } | null)?.setup;
  if (typeof setup !== 'string') throw new RequestError('BAD_CALL', 'a legacy request needs a setup frame');
  return parseAddEphemeralKeySetup(setup).keyId;
}

/**
 * The ephemeral keys after registering `claim`: a new id is added; a known id only with the same
 * public key and a later expiry (an extension). Anything else is EPHEMERAL_KEY_CONFLICT: a replay
 * of old frames, or an attempt to move the id to another key.
 */
export function registerEphemeralKey(existing: readonly EphemeralClaim[], claim: EphemeralClaim): EphemeralClaim[] {
  const prior = existing.find((k) => k.ephId === claim.ephId);
  if (prior) {
    if (prior.ephPK.toLowerCase() !== claim.ephPK.toLowerCase()) {
      throw new RequestError('EPHEMERAL_KEY_CONFLICT', `ephemeral key id ${claim.ephId.slice(0, 40)} is registered with another public key; use a new id`);
    }
    if (claim.expiry <= prior.expiry) {
      throw new RequestError('EPHEMERAL_KEY_CONFLICT', `ephemeral key ${claim.ephId.slice(0, 40)} is already registered until ${prior.expiry}; a registration can only extend it (replayed request?)`);
    }
    return existing.map((k) => (k === prior ? claim : k));
  }
  if (existing.length >= MAX_EPHEMERAL_KEYS) throw new RequestError('BAD_CALL', `a key has at most ${MAX_EPHEMERAL_KEYS} ephemeral key ids`);
  return [...existing, claim];
}

function checked<M extends 'dan_keyGen' | 'dan_refreshKey'>(method: M, raw: unknown): DanParams<M> {
  try {
    return validateParams(method, raw);
  } catch (e) {
    throw new RequestError('BAD_CALL', (e as Error).message);
  }
}

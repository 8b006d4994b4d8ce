// What a node does when asked (src/node/api.ts): run DKG, presign and the online signing step,
// and answer questions about its keys and presignature pool. Every call is checked here, whoever
// sent it: the user's EIP-712 signature (owner for keyGen; owner or authorized signer for sign),
// key expiry, request-id replay, and that this node is a party. A presignature is consumed
// durably (fsync'd batch with its journal entry) before the partial signature is computed and
// released (one fsynced batch holds the consumption, the journal entry with the digest and the
// partial, and the request marker), so a retried call gets the same answer, a request id cannot be
// reused for other content, and a presignature can never sign two digests.
import { createHash } from 'node:crypto';
import { bytesToHex, hexToBytes, type Address, type Hex } from 'viem';
import { publicKeyToAddress } from 'viem/accounts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { VerifiedRequests, assertSignerAllowed } from '../auth/index.ts';
import type { Logger } from '../log/logger.ts';
import { validateParams, type DanParams } from '../rpc/index.ts';
import { isStoreError, type KeyMeta, type NodeStore } from '../store/index.ts';
import { DkgParty, PresignParty, Presignature, TssError, decodeKeyShare, encodeKeyShare, type KeyShare, type PartyMachine } from '../tss/index.ts';
import {
  NodeError,
  NodeMethod,
  type KeyGenCall,
  type KeyGenReply,
  type KeyInfoCall,
  type ListKeysCall,
  type PresignCall,
  type PresignReply,
  type PresignaturesCall,
  type PresignaturesReply,
  type SignCall,
  type SignReply,
} from './api.ts';
import { SessionTimeoutError, type SessionRouter } from './sessions.ts';

export interface NodeServiceOptions {
  self: string;
  store: NodeStore;
  router: SessionRouter;
  timeouts: { keyGenMs: number; presignMs: number };
  /** Shared with the coordinator in the same process, so a request is verified once per process. */
  verified?: VerifiedRequests;
  log: Logger;
}

/** The stored, public description of a key. */
export type KeyInfo = KeyMeta & {
  address: string;
  authorizedSigners: string[];
  expiresAt: number;
  policy?: unknown;
  requestId: string;
};

const isHex32 = (v: unknown): v is string => typeof v === 'string' && /^(0x)?[0-9a-fA-F]{64}$/.test(v);
const strip0x = (h: string) => (h.startsWith('0x') ? h.slice(2) : h).toLowerCase();

/** Key ids are derived from the owner's signed request, so every node computes the same one. */
export function deriveKeyId(requestDigest: Hex): string {
  return 'key_' + createHash('sha256').update('dan-node/key-id/').update(strip0x(requestDigest)).digest('hex').slice(0, 32);
}

export function addressOfPublicKey(compressedHex: string): string {
  return publicKeyToAddress(bytesToHex(secp256k1.Point.fromHex(strip0x(compressedHex)).toBytes(false)));
}

function sessionInstance(kind: string, sessionId: string, binding: string): Uint8Array {
  return createHash('sha256').update(`dan-node/session/${kind}/`).update(strip0x(sessionId)).update('/').update(binding).digest();
}

export class NodeService {
  /** Decrypted keys by id: a share is decrypted once, not on every signature. */
  private readonly keys = new Map<string, { meta: KeyMeta; share: KeyShare }>();

  private readonly verified: VerifiedRequests;

  constructor(private readonly o: NodeServiceOptions) {
    this.verified = o.verified ?? new VerifiedRequests();
  }

  /** Dispatch a call from a peer (or from this node's own coordinator). */
  handle(method: string, body: unknown): Promise<unknown> {
    switch (method) {
      case NodeMethod.keyGen:
        return this.keyGen(body as KeyGenCall);
      case NodeMethod.presign:
        return this.presign(body as PresignCall);
      case NodeMethod.sign:
        return this.sign(body as SignCall);
      case NodeMethod.presignatures:
        return this.presignatures(body as PresignaturesCall);
      case NodeMethod.keyInfo:
        return this.keyInfo(body as KeyInfoCall);
      case NodeMethod.listKeys:
        return this.listKeys(body as ListKeysCall);
      default:
        return Promise.reject(new NodeError('BAD_CALL', `unknown method ${method}`));
    }
  }

  async keyGen(call: KeyGenCall): Promise<KeyGenReply> {
    if (!call || !isHex32(call.sessionId)) throw new NodeError('BAD_CALL', 'sessionId must be 32 bytes of hex');
    if (!Array.isArray(call.nodes) || call.nodes.some((n) => typeof n !== 'string') || new Set(call.nodes).size !== call.nodes.length) {
      throw new NodeError('BAD_CALL', 'nodes must be distinct peer ids');
    }
    const request = this.params('dan_keyGen', call.request);
    const digest = this.verify('dan_keyGen', request, [request.owner]);
    const { nodes } = call;
    const parties = request.parties;
    if (typeof parties === 'number' ? nodes.length !== parties : Array.isArray(parties) && parties.join() !== nodes.join()) {
      throw new NodeError('UNAUTHORIZED', 'the node set differs from the one the owner signed');
    }
    if (nodes.length < request.threshold) throw new NodeError('BAD_CALL', 'fewer nodes than the threshold');
    const party = nodes.indexOf(this.o.self);
    if (party < 0) throw new NodeError('NOT_A_PARTY', 'this node is not among the key parties');
    const keyId = deriveKeyId(digest);
    const existing = await this.o.store.getKey(keyId);
    if (existing) return { keyId, publicKey: existing.meta.publicKey };

    const log = this.o.log.child({ keyId, session: strip0x(call.sessionId).slice(0, 16), requestId: request.requestId });
    log.info('keygen started', { threshold: request.threshold, parties: nodes.length, party });
    const instance = sessionInstance('keygen', call.sessionId, keyId);
    const machine = DkgParty.dkg({ instance, threshold: request.threshold, parties: nodes.length, party });
    const share = await this.runSession(instance, machine, nodes, this.o.timeouts.keyGenMs, log);
    const publicKey = bytesToHex(share.publicKey);
    const meta: KeyInfo = {
      keyId,
      publicKey,
      address: addressOfPublicKey(publicKey),
      threshold: request.threshold,
      parties: nodes,
      party,
      owner: request.owner,
      authorizedSigners: [...(request.authorizedSigners ?? [])],
      expiresAt: request.expiresAt ?? 0,
      ...(request.policy ? { policy: request.policy } : {}),
      requestId: request.requestId,
      createdAt: Math.floor(Date.now() / 1000),
    };
    await this.o.store.putKey({ keyId, meta, share: encodeKeyShare(share) });
    this.keys.set(keyId, { meta, share });
    log.info('keygen done', { publicKey });
    return { keyId, publicKey };
  }

  async presign(call: PresignCall): Promise<PresignReply> {
    if (!call || !isHex32(call.sessionId)) throw new NodeError('BAD_CALL', 'sessionId must be 32 bytes of hex');
    const { meta, share } = await this.key(call.keyId);
    const signers = call.signers;
    if (!Array.isArray(signers) || signers.length !== share.threshold || signers.some((s, i) => !Number.isInteger(s) || s < 0 || s >= share.parties || (i > 0 && s <= signers[i - 1]))) {
      throw new NodeError('BAD_CALL', `signers must be ${share.threshold} ascending party indices`);
    }
    if (!signers.includes(share.party)) throw new NodeError('NOT_A_PARTY', 'this node is not among the signers');
    const log = this.o.log.child({ keyId: call.keyId, session: strip0x(call.sessionId).slice(0, 16) });
    const instance = sessionInstance('presign', call.sessionId, call.keyId);
    const machine = new PresignParty({ instance, keyShare: share, signers });
    const presignature = await this.runSession(instance, machine, meta.parties, this.o.timeouts.presignMs, log);
    const id = bytesToHex(presignature.id).slice(2);
    await this.o.store.addPresignature(call.keyId, { id, signers, record: presignature.toRecord() });
    log.debug('presignature stored', { presignatureId: id, signers });
    return { presignatureId: id };
  }

  async sign(call: SignCall): Promise<SignReply> {
    if (!call || !isHex32(call.presignatureId)) throw new NodeError('BAD_CALL', 'presignatureId must be 32 bytes of hex');
    const request = this.params('dan_sign', call.request);
    const { meta, share } = await this.key(request.keyId);
    const allowed = [meta.owner, ...((meta as KeyInfo).authorizedSigners ?? [])];
    const requestHash = this.verify('dan_sign', request, allowed);
    const expiresAt = Number((meta as KeyInfo).expiresAt ?? 0);
    if (expiresAt && Date.now() / 1000 >= expiresAt) throw new NodeError('KEY_EXPIRED', `key ${meta.keyId} expired at ${expiresAt}`);

    const presignatureId = strip0x(call.presignatureId);
    const journalKey = `sign:${request.requestId}:${presignatureId}`;
    const digest = hexToBytes(request.digest);
    let used;
    try {
      // The partial is computed in memory while the presignature is locked, journalled with its
      // consumption in one fsynced batch, and only returned once that batch is durable. The
      // request marker makes a reused request id with other content fail (STORE_CONFLICT).
      used = await this.o.store.consumeAndUse(
        request.keyId,
        presignatureId,
        { requestId: journalKey, entry: { method: 'sign', requestHash, presignatureId, digest: strip0x(request.digest), createdAt: Date.now() } },
        (record) => ({ record, result: { partial: bytesToHex(Presignature.fromRecord(record).sign(share, digest)).slice(2) } satisfies SignReply }),
        { requestId: `sign-request:${request.requestId}`, entry: { method: 'sign-request', requestHash, createdAt: Date.now() } },
      );
    } catch (e) {
      if (isStoreError(e, 'STORE_CONFLICT')) throw new NodeError('REQUEST_CONFLICT', 'requestId already used for another request');
      throw e;
    }
    if (used) return used.result;
    // Not in the pool: a retry of this very call gets its journalled answer; anything else fails.
    const previous = await this.o.store.getJournal(journalKey);
    if (previous && previous.requestHash !== requestHash) throw new NodeError('REQUEST_CONFLICT', 'requestId already used for another request');
    const result = previous?.result as SignReply | undefined;
    if (result?.partial) return result;
    throw new NodeError('PRESIGNATURE_UNAVAILABLE', `no presignature ${presignatureId.slice(0, 16)} for key ${request.keyId}`);
  }

  async presignatures(call: PresignaturesCall): Promise<PresignaturesReply> {
    await this.key(call?.keyId);
    return { presignatures: await this.o.store.listPresignatures(call.keyId) };
  }

  async keyInfo(call: KeyInfoCall): Promise<KeyInfo | null> {
    if (typeof call?.keyId !== 'string') throw new NodeError('BAD_CALL', 'keyId must be a string');
    const k = await this.o.store.getKey(call.keyId);
    return k ? (k.meta as KeyInfo) : null;
  }

  /** Keys this node holds for an owner (public metadata). */
  async listKeys(call: ListKeysCall): Promise<KeyInfo[]> {
    if (typeof call?.owner !== 'string') throw new NodeError('BAD_CALL', 'owner must be an address');
    const owner = call.owner.toLowerCase();
    return ((await this.o.store.listKeys()) as KeyInfo[]).filter((k) => k.owner.toLowerCase() === owner);
  }

  private async key(keyId: unknown): Promise<{ meta: KeyMeta; share: KeyShare }> {
    if (typeof keyId !== 'string') throw new NodeError('BAD_CALL', 'keyId must be a string');
    const cached = this.keys.get(keyId);
    if (cached) return cached;
    const stored = await this.o.store.getKey(keyId);
    if (!stored) throw new NodeError('UNKNOWN_KEY', `unknown key ${keyId}`);
    const key = { meta: stored.meta, share: decodeKeyShare(stored.share) };
    this.keys.set(keyId, key);
    return key;
  }

  private params<M extends 'dan_keyGen' | 'dan_sign'>(method: M, params: unknown) {
    try {
      return validateParams(method, params);
    } catch (e) {
      throw new NodeError('BAD_CALL', (e as Error).message);
    }
  }

  /** Verify the user's signature and rights; returns the request's content digest (stable across retries). */
  private verify<M extends 'dan_keyGen' | 'dan_sign'>(method: M, params: DanParams<M>, allowed: string[]): Hex {
    try {
      const { signer, content } = this.verified.verify(method, params);
      assertSignerAllowed(signer, allowed as Address[]);
      return content;
    } catch (e) {
      throw new NodeError('UNAUTHORIZED', (e as Error).message, { reason: (e as { code?: string }).code });
    }
  }

  private async runSession<T>(instance: Uint8Array, machine: PartyMachine<T>, peers: string[], timeoutMs: number, log: Logger): Promise<T> {
    try {
      return await this.o.router.run(instance, machine, peers, timeoutMs);
    } catch (e) {
      if (e instanceof TssError) {
        log.warn('protocol aborted', { code: e.code, suspect: e.party === undefined ? undefined : peers[e.party], ban: e.ban });
        throw new NodeError('PROTOCOL_ABORTED', e.message, { code: e.code, suspect: e.party === undefined ? undefined : peers[e.party], ban: e.ban });
      }
      if (e instanceof SessionTimeoutError) throw new NodeError('TIMEOUT', e.message);
      throw e;
    }
  }
}

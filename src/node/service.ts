// What a node does when asked (src/node/api.ts): run DKG, presign, refresh and the online signing
// step, and answer questions about its keys, presignature pool and peer records. Every call is
// checked here, whoever sent it: the user's EIP-712 signature (owner for keyGen and refresh; owner
// or authorized signer for sign; for legacy wallet-provider requests, the client's own frames: EOA
// or ephemeral authentication), key expiry, request-id replay, that this node is a party, and that
// no peer involved (nor the caller) is banned or suspended (PeerGuard). A presignature is consumed
// durably (fsync'd batch with its journal entry) before the partial signature is computed and
// released (one fsynced batch holds the consumption, the journal entry with the digest and the
// partial, and the request marker), so a retried call gets the same answer, a request id cannot be
// reused for other content, and a presignature can never sign two digests.
import { createHash } from 'node:crypto';
import { bytesToHex, hashMessage, hexToBytes, type Address, type Hex } from 'viem';
import { publicKeyToAddress } from 'viem/accounts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { AuthError, VerifiedRequests, assertSignerAllowed, userOperationHash } from '../auth/index.ts';
import { checkAddEphemeralKey, checkKeygen, checkSigngen, signgenKeyId, type EphemeralClaim, type LegacyRequest } from '../compat/index.ts';
import { decodeExecute, decodeNexusNonce } from '../chain/index.ts';
import type { Logger } from '../log/logger.ts';
import { checkUserOperation, validateParams, type Call, type DanMethod, type DanParams, type UserOperationJson } from '../rpc/index.ts';
import { checkPolicy, parsePolicy, type DecodedCall } from './policy.ts';
import { isStoreError, type KeyMeta, type NodeStore } from '../store/index.ts';
import { DkgParty, PresignParty, Presignature, decodeKeyShare, encodeKeyShare, type BroadcastAuth, type KeyShare } from '../tss/index.ts';
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
  type SignUserOpCall,
  type SignLegacyCall,
  type AddEphemeralKeyCall,
  type AddEphemeralKeyReply,
  type NodeChain,
  type SignReply,
  type RefreshCall,
  type RefreshReply,
  type CommitRefreshCall,
  type CommitRefreshReply,
  type RefreshStateReply,
  type PeerRecordsReply,
  OPERATOR_REFRESH_INTERVAL_MS,
  publicValuesToWire,
  refreshAckStatement,
} from './api.ts';
import type { NodeSigner } from '../net/identity.ts';
import type { PeerGuard } from './guard.ts';
import type { SessionRouter } from './sessions.ts';

export interface NodeServiceOptions {
  self: string;
  store: NodeStore;
  router: SessionRouter;
  guard: PeerGuard;
  /** This node's identity key: signs refresh acknowledgements, checks the other parties'. */
  signer: NodeSigner;
  /** Signs this node's round-1 broadcasts as `party` of a session among `peers`, checks the others' (identity keys). */
  broadcastAuth(party: number, peers: readonly string[]): BroadcastAuth;
  timeouts: { keyGenMs: number; presignMs: number };
  /** The chain this node signs userOps for (dan_useDistributedPermission needs it). */
  chain?: NodeChain;
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
  /** Legacy wallet-provider keys: the ephemeral ed25519 keys that may request signatures. */
  ephemeralKeys?: EphemeralClaim[];
  requestId: string;
  /** Hex id of the share generation in use (the DKG's, then each refresh's). */
  generation?: string;
  /** Peers whose ban was lifted: no presigning with them until the key is refreshed. */
  refreshRequired?: string[];
  /** The parties' acknowledgements of the generation in use (after a refresh). */
  refreshAcks?: Record<string, string>;
  refreshedAt?: number;
};

/** What an authenticated key-generation request allows, native or legacy. */
interface KeyGenTerms {
  /** The signed request's hash: the key id derives from it. */
  digest: Hex;
  owner: string;
  threshold: number;
  parties: number | readonly string[] | undefined;
  authorizedSigners: string[];
  expiresAt: number;
  policy?: unknown;
  ephemeralKeys?: EphemeralClaim[];
  requestId: string;
}

const MAX_EPHEMERAL_KEYS = 16;

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

  /** When this node last accepted an operator refresh, by key. */
  private readonly operatorRefreshes = new Map<string, number>();

  /**
   * Dispatch a call from a peer (or, `from` = this node, from its own coordinator). A banned or
   * suspended peer gets PEER_BANNED for anything it asks.
   */
  handle(method: string, body: unknown, from: string = this.o.self): Promise<unknown> {
    if (from !== this.o.self) {
      try {
        this.o.guard.assertUsable([from], `${method} from ${from}`);
      } catch (e) {
        return Promise.reject(e);
      }
    }
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
      case NodeMethod.signUserOp:
        return this.signUserOp(body as SignUserOpCall);
      case NodeMethod.signLegacy:
        return this.signLegacy(body as SignLegacyCall);
      case NodeMethod.addEphemeralKey:
        return this.addEphemeralKey(body as AddEphemeralKeyCall);
      case NodeMethod.refresh:
        return this.refresh(body as RefreshCall, from);
      case NodeMethod.commitRefresh:
        return this.commitRefresh(body as CommitRefreshCall);
      case NodeMethod.refreshState:
        return this.refreshState(body as KeyInfoCall);
      case NodeMethod.peerRecords:
        return Promise.resolve(this.peerRecords());
      default:
        return Promise.reject(new NodeError('BAD_CALL', `unknown method ${method}`));
    }
  }

  async keyGen(call: KeyGenCall): Promise<KeyGenReply> {
    if (!call || !isHex32(call.sessionId)) throw new NodeError('BAD_CALL', 'sessionId must be 32 bytes of hex');
    if (!Array.isArray(call.nodes) || call.nodes.some((n) => typeof n !== 'string') || new Set(call.nodes).size !== call.nodes.length) {
      throw new NodeError('BAD_CALL', 'nodes must be distinct peer ids');
    }
    const { nodes } = call;
    const terms = 'legacy' in call ? await this.legacyKeyGenTerms(call.legacy) : this.keyGenTerms(call.request);
    const { parties } = terms;
    if (typeof parties === 'number' ? nodes.length !== parties : Array.isArray(parties) && parties.join() !== nodes.join()) {
      throw new NodeError('UNAUTHORIZED', 'the node set differs from the one the owner signed');
    }
    if (nodes.length < terms.threshold) throw new NodeError('BAD_CALL', 'fewer nodes than the threshold');
    const party = nodes.indexOf(this.o.self);
    if (party < 0) throw new NodeError('NOT_A_PARTY', 'this node is not among the key parties');
    this.o.guard.assertUsable(nodes, 'keyGen');
    const keyId = deriveKeyId(terms.digest);
    const existing = await this.o.store.getKey(keyId);
    if (existing) return { keyId, publicKey: existing.meta.publicKey };

    const log = this.o.log.child({ keyId, session: strip0x(call.sessionId).slice(0, 16), requestId: terms.requestId });
    log.info('keygen started', { threshold: terms.threshold, parties: nodes.length, party, legacy: 'legacy' in call });
    const instance = sessionInstance('keygen', call.sessionId, keyId);
    const machine = DkgParty.dkg({ instance, threshold: terms.threshold, parties: nodes.length, party, auth: this.o.broadcastAuth(party, nodes) });
    const share = await this.o.router.run(instance, machine, nodes, this.o.timeouts.keyGenMs, { protocol: 'keygen', keyId });
    const publicKey = bytesToHex(share.publicKey);
    const meta: KeyInfo = {
      keyId,
      publicKey,
      address: addressOfPublicKey(publicKey),
      threshold: terms.threshold,
      parties: nodes,
      party,
      owner: terms.owner,
      authorizedSigners: terms.authorizedSigners,
      expiresAt: terms.expiresAt,
      ...(terms.policy ? { policy: terms.policy } : {}),
      ...(terms.ephemeralKeys ? { ephemeralKeys: terms.ephemeralKeys } : {}),
      requestId: terms.requestId,
      generation: hex(share.generation),
      createdAt: Math.floor(Date.now() / 1000),
    };
    await this.o.store.putKey({ keyId, meta, share: encodeKeyShare(share) });
    this.keys.set(keyId, { meta, share });
    log.info('keygen done', { publicKey });
    return { keyId, publicKey };
  }

  /** What a checked dan_keyGen request allows. */
  private keyGenTerms(raw: unknown): KeyGenTerms {
    const request = this.params('dan_keyGen', raw);
    const digest = this.verify('dan_keyGen', request, [request.owner]);
    parsePolicy(request.policy); // a malformed policy is refused before any work
    return {
      digest,
      owner: request.owner,
      threshold: request.threshold,
      parties: request.parties,
      authorizedSigners: [...(request.authorizedSigners ?? [])],
      expiresAt: request.expiresAt ?? 0,
      policy: request.policy,
      requestId: request.requestId,
    };
  }

  /** What a checked legacy keygen allows: the EOA owns the key, its ephemeral key may sign. */
  private async legacyKeyGenTerms(legacy: LegacyRequest): Promise<KeyGenTerms> {
    const checked = await checkKeygen(legacy);
    return {
      digest: checked.digest,
      owner: checked.owner,
      threshold: checked.t,
      parties: checked.n,
      authorizedSigners: [],
      expiresAt: 0,
      ephemeralKeys: [checked.ephemeralKey],
      requestId: `legacy-keygen:${strip0x(checked.digest).slice(0, 32)}`,
    };
  }

  /** Legacy signgen: the node checks the ephemeral authentication and computes the userOp hash itself. */
  async signLegacy(call: SignLegacyCall): Promise<SignReply> {
    const keyId = signgenKeyId(call?.legacy?.setup);
    const { meta, share } = await this.usableKey(keyId);
    const info = meta as KeyInfo;
    const checked = checkSigngen(call.legacy, { keyId, threshold: info.threshold, ephemeralKeys: info.ephemeralKeys ?? [] });
    const requestId = `legacy-sign:${strip0x(checked.requestHash)}`;
    return this.signDigest(share, { keyId, presignatureId: call.presignatureId, requestId, requestHash: checked.requestHash, digest: checked.digest });
  }

  /** Legacy addEphemeralKey: the key's owner registers another ephemeral key (same ephId: replaced). */
  async addEphemeralKey(call: AddEphemeralKeyCall): Promise<AddEphemeralKeyReply> {
    const checked = await checkAddEphemeralKey(call?.legacy);
    const { meta } = await this.usableKey(checked.keyId);
    if (checked.signer.toLowerCase() !== meta.owner.toLowerCase()) throw new NodeError('UNAUTHORIZED', 'only the key owner can add an ephemeral key');
    if (checked.n !== meta.parties.length) throw new NodeError('BAD_CALL', `n = ${checked.n}, but the key has ${meta.parties.length} parties`);
    const updated = await this.o.store.updateKeyMeta(checked.keyId, (old) => {
      const keys = ((old as KeyInfo).ephemeralKeys ?? []).filter((k) => k.ephId !== checked.ephemeralKey.ephId && k.expiry > Date.now() / 1000);
      if (keys.length >= MAX_EPHEMERAL_KEYS) throw new NodeError('BAD_CALL', `a key has at most ${MAX_EPHEMERAL_KEYS} live ephemeral keys`);
      return { ...old, ephemeralKeys: [...keys, checked.ephemeralKey] } as KeyInfo;
    });
    const cached = this.keys.get(checked.keyId);
    if (cached) cached.meta = updated;
    this.o.log.info('ephemeral key added', { keyId: checked.keyId, ephId: checked.ephemeralKey.ephId, expiry: checked.ephemeralKey.expiry });
    return { ephId: checked.ephemeralKey.ephId };
  }

  async presign(call: PresignCall): Promise<PresignReply> {
    if (!call || !isHex32(call.sessionId)) throw new NodeError('BAD_CALL', 'sessionId must be 32 bytes of hex');
    const { meta, share } = await this.key(call.keyId);
    const signers = call.signers;
    if (!Array.isArray(signers) || signers.length !== share.threshold || signers.some((s, i) => !Number.isInteger(s) || s < 0 || s >= share.parties || (i > 0 && s <= signers[i - 1]))) {
      throw new NodeError('BAD_CALL', `signers must be ${share.threshold} ascending party indices`);
    }
    if (!signers.includes(share.party)) throw new NodeError('NOT_A_PARTY', 'this node is not among the signers');
    const signerPeers = signers.map((i) => meta.parties[i]);
    this.o.guard.assertUsable(signerPeers, 'presign');
    const stale = signerPeers.filter((p) => ((meta as KeyInfo).refreshRequired ?? []).includes(p));
    if (stale.length) {
      throw new NodeError('REFRESH_REQUIRED', `key ${call.keyId} must be refreshed before presigning with ${stale.join(', ')} again (a ban on it was lifted)`, { keyId: call.keyId, peers: stale });
    }
    const instance = sessionInstance('presign', call.sessionId, call.keyId);
    const machine = new PresignParty({ instance, keyShare: share, signers, auth: this.o.broadcastAuth(share.party, meta.parties) });
    const presignature = await this.o.router.run(instance, machine, meta.parties, this.o.timeouts.presignMs, { protocol: 'presign', keyId: call.keyId });
    const id = bytesToHex(presignature.id).slice(2);
    const publicValues = publicValuesToWire(presignature.publicValues);
    const noncePoint = hex(presignature.noncePoint);
    try {
      await this.o.store.addPresignature(call.keyId, { id, signers, record: presignature.toRecord(), generation: hex(share.generation), noncePoint, publicValues });
    } catch (e) {
      if (isStoreError(e, 'STORE_CONFLICT') && e.context.reason === 'generation') throw new NodeError('REFRESH_MISMATCH', `presignature of key ${call.keyId} discarded: ${e.message}`, { keyId: call.keyId });
      throw e;
    }
    this.o.log.debug('presignature stored', { keyId: call.keyId, presignatureId: id, signers });
    return { presignatureId: id, noncePoint, publicValues };
  }

  async sign(call: SignCall): Promise<SignReply> {
    const request = this.params('dan_sign', call?.request);
    const { meta, share } = await this.usableKey(request.keyId);
    const requestHash = this.verify('dan_sign', request, this.allowedSigners(meta));
    return this.signDigest(share, { keyId: request.keyId, presignatureId: call.presignatureId, requestId: request.requestId, requestHash, digest: request.digest });
  }

  /** Sign the EIP-191 digest of a userOp hash this node computed itself (see SignUserOpCall). */
  async signUserOp(call: SignUserOpCall): Promise<SignReply> {
    if (call?.method !== 'dan_signUserOperation' && call?.method !== 'dan_useDistributedPermission') throw new NodeError('BAD_CALL', 'method must be dan_signUserOperation or dan_useDistributedPermission');
    let userOp: UserOperationJson;
    let entryPoint: Address;
    let chainId: number;
    let requestHash: Hex;
    let keyId: string;
    let requestId: string;
    const policyOf = (meta: KeyMeta) => parsePolicy((meta as KeyInfo).policy);
    if (call.method === 'dan_signUserOperation') {
      const request = this.params('dan_signUserOperation', call.request);
      const { meta } = await this.usableKey(request.keyId);
      requestHash = this.verify('dan_signUserOperation', request, this.allowedSigners(meta));
      ({ keyId, requestId } = request);
      ({ userOperation: userOp, entryPoint, chainId } = request);
      checkPolicy(policyOf(meta), { chainId, sender: userOp.sender, calls: tryDecodeCalls(userOp.callData) });
    } else {
      const chain = this.o.chain;
      if (!chain) throw new NodeError('BAD_CALL', 'this node has no chain configured');
      const request = this.params('dan_useDistributedPermission', call.request);
      const { meta } = await this.usableKey(request.keyId);
      requestHash = this.verify('dan_useDistributedPermission', request, this.allowedSigners(meta));
      ({ keyId, requestId } = request);
      userOp = this.userOperation(call.userOperation);
      ({ entryPoint, chainId } = chain);
      // The userOp the coordinator built must be exactly what the user asked for.
      if (userOp.sender.toLowerCase() !== request.account.toLowerCase()) throw new NodeError('UNAUTHORIZED', 'userOp sender is not the account in the request');
      const calls = tryDecodeCalls(userOp.callData);
      if (!calls || !sameCalls(calls, request.calls)) throw new NodeError('UNAUTHORIZED', 'userOp calls differ from the calls in the request');
      const nonce = BigInt(userOp.nonce);
      const { validator, mode } = decodeNexusNonce(nonce); // the top bytes of the key are free parallel lanes
      if (mode !== 0 || validator.toLowerCase() !== chain.smartSessions.toLowerCase()) throw new NodeError('UNAUTHORIZED', 'userOp nonce is not for the Smart Sessions validator');
      if (request.nonce !== undefined && nonce !== BigInt(request.nonce)) throw new NodeError('UNAUTHORIZED', 'userOp nonce differs from the request');
      if (request.maxFeePerGas !== undefined && BigInt(userOp.maxFeePerGas) > BigInt(request.maxFeePerGas)) throw new NodeError('UNAUTHORIZED', 'userOp maxFeePerGas exceeds the request');
      if (request.maxPriorityFeePerGas !== undefined && BigInt(userOp.maxPriorityFeePerGas) > BigInt(request.maxPriorityFeePerGas)) {
        throw new NodeError('UNAUTHORIZED', 'userOp maxPriorityFeePerGas exceeds the request');
      }
      checkPolicy(policyOf(meta), { chainId, sender: userOp.sender, calls });
    }
    const { share } = await this.usableKey(keyId);
    const digest = hashMessage({ raw: userOperationHash(userOp, entryPoint, chainId) });
    return this.signDigest(share, { keyId, presignatureId: call.presignatureId, requestId, requestHash, digest });
  }

  private userOperation(raw: unknown): UserOperationJson {
    try {
      return checkUserOperation(raw, 'userOperation');
    } catch (e) {
      throw new NodeError('BAD_CALL', (e as Error).message.replace('params.userOperation', 'userOperation'));
    }
  }

  private allowedSigners(meta: KeyMeta): string[] {
    return [meta.owner, ...((meta as KeyInfo).authorizedSigners ?? [])];
  }

  /** The key, if it has not expired. */
  private async usableKey(keyId: string): Promise<{ meta: KeyMeta; share: KeyShare }> {
    const key = await this.key(keyId);
    const expiresAt = Number((key.meta as KeyInfo).expiresAt ?? 0);
    if (expiresAt && Date.now() / 1000 >= expiresAt) throw new NodeError('KEY_EXPIRED', `key ${keyId} expired at ${expiresAt}`);
    return key;
  }

  /**
   * The online step for a checked request: consume the presignature and compute the partial on
   * `digest` in one locked step; the consumption, the journal entry (digest and partial) and the
   * request marker are written in one fsynced batch before the partial is returned, so a retried
   * call gets the same answer, a request id cannot be reused for other content, and a
   * presignature never signs two digests.
   */
  private async signDigest(share: KeyShare, r: { keyId: string; presignatureId: string; requestId: string; requestHash: Hex; digest: Hex }): Promise<SignReply> {
    const parties = (await this.key(r.keyId)).meta.parties;
    if (!isHex32(r.presignatureId)) throw new NodeError('BAD_CALL', 'presignatureId must be 32 bytes of hex');
    const presignatureId = strip0x(r.presignatureId);
    const journalKey = `sign:${r.requestId}:${presignatureId}`;
    const digest = hexToBytes(r.digest);
    let used;
    try {
      used = await this.o.store.consumeAndUse(
        r.keyId,
        presignatureId,
        { requestId: journalKey, entry: { method: 'sign', requestHash: r.requestHash, presignatureId, digest: strip0x(r.digest), createdAt: Date.now() } },
        (record) => {
          const presignature = Presignature.fromRecord(record);
          // No work with a banned peer: refused before anything is written (the presignature stays pooled).
          this.o.guard.assertUsable(presignature.signers.map((i) => parties[i]), 'sign');
          return { record, result: { partial: bytesToHex(presignature.sign(share, digest)).slice(2) } satisfies SignReply };
        },
        { requestId: `sign-request:${r.requestId}`, entry: { method: 'sign-request', requestHash: r.requestHash, createdAt: Date.now() } },
      );
    } catch (e) {
      if (isStoreError(e, 'STORE_CONFLICT')) throw new NodeError('REQUEST_CONFLICT', 'requestId already used for another request');
      throw e;
    }
    if (used) return used.result;
    // Not in the pool: a retry of this very call gets its journalled answer; anything else fails.
    const previous = await this.o.store.getJournal(journalKey);
    if (previous && previous.requestHash !== r.requestHash) throw new NodeError('REQUEST_CONFLICT', 'requestId already used for another request');
    const result = previous?.result as SignReply | undefined;
    if (result?.partial) return result;
    throw new NodeError('PRESIGNATURE_UNAVAILABLE', `no presignature ${presignatureId.slice(0, 16)} for key ${r.keyId}`);
  }

  /**
   * Refresh, phase 1: the engine's refresh among all the key's parties (new shares, OT and
   * zero-share seeds, same public key); the new share is stored pending, next to the one in use,
   * and this node acknowledges it with its identity key. Nothing changes for signing until the
   * commit; a failed run leaves a pending share that the next run replaces.
   */
  async refresh(call: RefreshCall, from: string): Promise<RefreshReply> {
    if (!call || !isHex32(call.sessionId)) throw new NodeError('BAD_CALL', 'sessionId must be 32 bytes of hex');
    const { meta, share } = await this.usableKey(call.keyId);
    if ('request' in call) {
      const request = this.params('dan_refreshKey', call.request);
      if (request.keyId !== call.keyId) throw new NodeError('BAD_CALL', 'the request names another key');
      this.verify('dan_refreshKey', request, [meta.owner]);
    } else if (call.operator === true) {
      const last = this.operatorRefreshes.get(call.keyId) ?? 0;
      if (Date.now() - last < OPERATOR_REFRESH_INTERVAL_MS) throw new NodeError('BAD_CALL', `key ${call.keyId} was refreshed by an operator less than ${OPERATOR_REFRESH_INTERVAL_MS / 1000} s ago`);
      this.o.log.info('operator refresh', { keyId: call.keyId, by: from });
    } else {
      throw new NodeError('BAD_CALL', 'a refresh needs the owner\'s signed request or operator: true');
    }
    this.o.guard.assertUsable(meta.parties, 'refresh');
    const instance = sessionInstance('refresh', call.sessionId, call.keyId);
    const machine = DkgParty.refresh({ instance, keyShare: share, auth: this.o.broadcastAuth(share.party, meta.parties) });
    const fresh = await this.o.router.run(instance, machine, meta.parties, this.o.timeouts.keyGenMs, { protocol: 'refresh', keyId: call.keyId });
    const generation = hex(fresh.generation);
    await this.o.store.putPendingShare(call.keyId, generation, encodeKeyShare(fresh));
    if (!('request' in call)) this.operatorRefreshes.set(call.keyId, Date.now());
    const ack = hex(await this.o.signer.sign(refreshAckStatement(call.keyId, generation, meta.publicKey)));
    this.o.log.info('refresh ready to commit', { keyId: call.keyId, generation: generation.slice(0, 16) });
    return { keyId: call.keyId, generation, ack };
  }

  /**
   * Refresh, phase 2: switch to the pending share once every party has acknowledged the same
   * generation (their identity signatures are checked here). The switch is one fsynced batch that
   * also invalidates every presignature of the old generation and clears refreshRequired.
   */
  async commitRefresh(call: CommitRefreshCall): Promise<CommitRefreshReply> {
    const { meta } = await this.key(call?.keyId);
    if (typeof call.generation !== 'string' || !/^[0-9a-f]{64}$/.test(call.generation)) throw new NodeError('BAD_CALL', 'generation must be 32 bytes of lowercase hex');
    if (meta.generation === call.generation) return { keyId: call.keyId, generation: call.generation };
    const acks = call.acks && typeof call.acks === 'object' ? call.acks : {};
    const statement = refreshAckStatement(call.keyId, call.generation, meta.publicKey);
    for (const peer of meta.parties) {
      const ack = acks[peer];
      const ok = typeof ack === 'string' && /^[0-9a-f]{128}$/.test(ack) && (await this.o.signer.verify(peer, statement, hexToBytes(`0x${ack}`)));
      if (!ok) throw new NodeError('REFRESH_MISMATCH', `no valid acknowledgement of generation ${call.generation.slice(0, 16)} from ${peer}`, { keyId: call.keyId, peer });
    }
    try {
      await this.o.store.commitPendingShare(call.keyId, call.generation, {
        generation: call.generation,
        refreshRequired: [],
        refreshedAt: Math.floor(Date.now() / 1000),
        refreshAcks: Object.fromEntries(meta.parties.map((p) => [p, acks[p]])),
      });
    } catch (e) {
      if (isStoreError(e, 'STORE_NOT_FOUND')) throw new NodeError('REFRESH_MISMATCH', e.message, { keyId: call.keyId, generation: call.generation });
      throw e;
    }
    this.keys.delete(call.keyId);
    this.o.log.info('key refreshed', { keyId: call.keyId, generation: call.generation.slice(0, 16) });
    return { keyId: call.keyId, generation: call.generation };
  }

  /** This node's bans, suspensions and blames, for the coordinator (evidence by hash and size, no copy). */
  private peerRecords(): PeerRecordsReply {
    return { records: this.o.guard.list().map(({ evidence, ...r }) => (evidence ? { ...r, evidence: { sha256: evidence.sha256, bytes: evidence.bytes } } : r)) };
  }

  /** Where a key stands: the generation in use, a pending one, and the acks of the one in use. */
  async refreshState(call: KeyInfoCall): Promise<RefreshStateReply> {
    const { meta, share } = await this.key(call?.keyId);
    const pending = await this.o.store.pendingGeneration(call.keyId);
    const acks = (meta as KeyInfo).refreshAcks;
    return { keyId: call.keyId, generation: hex(share.generation), ...(pending ? { pending } : {}), ...(acks ? { acks } : {}) };
  }

  async presignatures(call: PresignaturesCall): Promise<PresignaturesReply> {
    await this.key(call?.keyId);
    return { presignatures: (await this.o.store.listPresignatures(call.keyId)) as PresignaturesReply['presignatures'] };
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

  private params<M extends DanMethod>(method: M, params: unknown): DanParams<M> {
    try {
      return validateParams(method, params);
    } catch (e) {
      throw new NodeError('BAD_CALL', (e as Error).message);
    }
  }

  /** Verify the user's signature and rights; returns the request's content digest (stable across retries). */
  private verify<M extends DanMethod>(method: M, params: DanParams<M>, allowed: string[]): Hex {
    try {
      const { signer, content } = this.verified.verify(method, params as never);
      assertSignerAllowed(signer, allowed as Address[]);
      return content;
    } catch (e) {
      throw new NodeError('UNAUTHORIZED', (e as Error).message, e instanceof AuthError ? { reason: e.reason } : {});
    }
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The calls of a Nexus execute callData, or undefined when it is not one this node can check. */
function tryDecodeCalls(callData: Hex): DecodedCall[] | undefined {
  try {
    return decodeExecute(callData);
  } catch {
    return undefined;
  }
}

function sameCalls(decoded: DecodedCall[], requested: Call[]): boolean {
  return (
    decoded.length === requested.length &&
    decoded.every(
      (d, i) =>
        d.to.toLowerCase() === requested[i].to.toLowerCase() &&
        d.value === BigInt(requested[i].value ?? '0x0') &&
        d.data.toLowerCase() === (requested[i].data ?? '0x').toLowerCase(),
    )
  );
}

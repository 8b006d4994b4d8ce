// What every node method works with: the store, the session router, the peer guard, this node's
// identity, its request context (network and chain), the cache of decrypted keys and calls to peers.
import { createHash } from 'node:crypto';
import type { Logger } from '../log/logger.ts';
import type { NodeSigner } from '../net/identity.ts';
import type { RequestContext } from '../requests/index.ts';
import type { NodeStore } from '../store/index.ts';
import { decodeKeyShare, type KeyShare } from '../tss/index.ts';
import { NodeError, type KeyRecord } from './api.ts';
import type { ReshareApprovals } from './approvals.ts';
import type { PeerGuard } from './guard.ts';
import type { DkgParties, PresignParties } from './offload/index.ts';
import type { SessionRouter } from './sessions.ts';

export interface NodeContext {
  self: string;
  store: NodeStore;
  router: SessionRouter;
  guard: PeerGuard;
  /** The reshares this node's operator approved (a reshare without one is refused). */
  approvals: ReshareApprovals;
  /** This node's identity key: signs refresh acknowledgements, checks the other parties'. */
  signer: NodeSigner;
  /** This node's DKG and refresh parties (on an engine worker thread: src/node/offload). */
  dkgParties: DkgParties;
  /** This node's presign parties (on another engine worker thread). */
  presignParties: PresignParties;
  timeouts: { keyGenMs: number; presignMs: number };
  /** The network (request signatures) and chain (userOps) requests are checked against. */
  requests: RequestContext;
  keys: KeyCache;
  /** Calls to other nodes: settling a pending key, a joiner's reshare, adopting a derived record. */
  peers: PeerCalls;
  log: Logger;
}

export interface PeerCalls {
  call<T>(peer: string, method: string, body: unknown, timeoutMs: number): Promise<T>;
  /** Every operator's node of the network (this one included). */
  operators: readonly string[];
}

export interface LoadedKey {
  /** A derived key's record carries its master's parties, threshold, party and generation. */
  meta: KeyRecord;
  /** The key's share; a derived key's is its master's. */
  share: KeyShare;
  /** A derived key's master. */
  master?: LoadedKey;
}

/** Derived key records kept in memory (there may be millions on disk; each is read in ~0.1 ms). */
const DERIVED_CACHED = 4096;

/**
 * Decrypted keys by id: a share is decrypted once, not on every signature. A derived key is its
 * record over its master's loaded key (so a refresh of the master reaches every derived key).
 */
export class KeyCache {
  private readonly keys = new Map<string, LoadedKey>();
  private readonly derived = new Map<string, KeyRecord>();
  constructor(private readonly store: NodeStore) {}

  async get(keyId: unknown): Promise<LoadedKey> {
    if (typeof keyId !== 'string') throw new NodeError('BAD_CALL', 'keyId must be a string');
    const cached = this.keys.get(keyId);
    if (cached) return cached;
    const record = this.derived.get(keyId) ?? (await this.store.getKeyMeta(keyId)) as KeyRecord | undefined;
    if (!record) throw new NodeError('UNKNOWN_KEY', `unknown key ${keyId}`);
    if (record.derivation) {
      this.remember(record);
      return derivedKey(record, await this.get(record.derivation.master));
    }
    const stored = await this.store.getKey(keyId);
    if (!stored) throw new NodeError('UNKNOWN_KEY', `unknown key ${keyId}`);
    const key = { meta: stored.meta as KeyRecord, share: decodeKeyShare(stored.share) };
    this.keys.set(keyId, key);
    return key;
  }

  set(keyId: string, key: LoadedKey): void {
    this.keys.set(keyId, key);
  }

  /** Forget a key (its share or record changed on disk). */
  drop(keyId: string): void {
    this.keys.delete(keyId);
    this.derived.delete(keyId);
  }

  /** Keep a derived key's record (as just stored): the coordinator reads it back at once. */
  remember(record: KeyRecord): void {
    this.derived.delete(record.keyId);
    this.derived.set(record.keyId, record);
    if (this.derived.size > DERIVED_CACHED) this.derived.delete(this.derived.keys().next().value!);
  }
}

/** A derived key as its master stands now (parties, threshold, generation, peers needing a refresh). */
export function derivedKey(record: KeyRecord, master: LoadedKey): LoadedKey {
  return { meta: derivedRecord(record, master.meta), share: master.share, master };
}

/** A derived key's record with its master's parties, threshold, party, generation and refresh marks. */
export function derivedRecord(record: KeyRecord, m: KeyRecord): KeyRecord {
  const { refreshRequired: _stale, ...own } = record;
  return { ...own, threshold: m.threshold, parties: m.parties, party: m.party, generation: m.generation, ...(m.refreshRequired ? { refreshRequired: m.refreshRequired } : {}) };
}

export const isHex32 = (v: unknown): v is string => typeof v === 'string' && /^(0x)?[0-9a-fA-F]{64}$/.test(v);
export const strip0x = (h: string): string => (h.startsWith('0x') ? h.slice(2) : h).toLowerCase();
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The engine's session instance: bound to the protocol, the session id and what it is about. */
export function sessionInstance(kind: string, sessionId: string, binding: string): Uint8Array {
  return createHash('sha256').update(`dan-node/session/${kind}/`).update(strip0x(sessionId)).update('/').update(binding).digest();
}

// The coordinator's directory of keys: each key's record as its parties store it, read from the
// first live party that has it (this node first) and cached; a key seen for the first time gets
// its presignature pools rebuilt from the nodes.
import type { Address, Hex } from 'viem';
import type { Logger } from '../log/logger.ts';
import { NodeMethod, type KeyRecord } from '../node/api.ts';
import { RpcError, RpcErrorCode, type KeyInfo } from '../rpc/index.ts';
import type { NodeLink } from './context.ts';
import type { PoolKey } from './pools.ts';

export interface KeyDirectoryOptions {
  nodes: NodeLink;
  callMs: number;
  /** Called once per key first read (start tracking its pools). */
  onFirstSeen(key: KeyRecord): void;
  log: Logger;
}

/** Key records kept (derived keys can be millions; one more is one keyInfo call away). */
const CACHED_KEYS = 10_000;

export class KeyDirectory {
  private readonly keys = new Map<string, KeyRecord>();

  constructor(private readonly o: KeyDirectoryOptions) {}

  /** The key's record, or UNKNOWN_KEY. */
  async require(keyId: string): Promise<KeyRecord> {
    const key = await this.find(keyId, this.o.nodes.operators);
    if (!key) throw new RpcError(RpcErrorCode.UNKNOWN_KEY, `unknown key ${keyId}`, { reason: 'unknown_key', field: 'keyId' });
    return key;
  }

  /** The key's record from the first of `candidates` that answers with it. */
  async find(keyId: string, candidates: readonly string[]): Promise<KeyRecord | undefined> {
    const cached = this.keys.get(keyId);
    if (cached) return cached;
    const { nodes } = this.o;
    const order = [nodes.self, ...candidates.filter((p) => p !== nodes.self)].filter((p) => p === nodes.self || nodes.isLive(p));
    for (const peer of order) {
      try {
        const info = await nodes.call<KeyRecord | null>(peer, NodeMethod.keyInfo, { keyId }, this.o.callMs);
        if (info) {
          this.keys.set(keyId, info);
          if (this.keys.size > CACHED_KEYS) this.keys.delete(this.keys.keys().next().value!);
          this.o.onFirstSeen(info);
          return info;
        }
      } catch (e) {
        this.o.log.debug('keyInfo: node did not answer', { peer, error: (e as Error).message });
      }
    }
    return undefined;
  }

  /** Forget a key's record (its parties changed it: refresh, new ephemeral key). */
  drop(keyId: string): void {
    this.keys.delete(keyId);
  }

  /** Forget the records of a key and of every key derived from it (a reshare changed their parties). */
  dropWithDerived(keyId: string): void {
    for (const [id, k] of this.keys) if (id === keyId || k.derivation?.master === keyId) this.keys.delete(id);
  }
}

/** The pool a key signs from: its own, or its master's for a derived key (one pool serves them all). */
export function poolKey(info: KeyRecord): PoolKey {
  return { keyId: info.derivation?.master ?? info.keyId, threshold: info.threshold, parties: info.parties, ...(info.generation ? { generation: info.generation } : {}) };
}

/** What dan_getKey and friends show of a key. */
export function publicKeyInfo(k: KeyRecord): KeyInfo {
  return {
    keyId: k.keyId,
    publicKey: k.publicKey as Hex,
    address: k.address as Address,
    threshold: k.threshold,
    parties: k.parties.length,
    nodes: k.parties,
    ...(k.derivation ? { derivedFrom: k.derivation.master } : {}),
    owner: k.owner as Address,
    authorizedSigners: (k.authorizedSigners ?? []) as Address[],
    expiresAt: k.expiresAt ?? 0,
    ...(k.policy ? { policy: k.policy as KeyInfo['policy'] } : {}),
    createdAt: k.createdAt,
  };
}

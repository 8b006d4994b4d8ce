// Fake nodes for coordinator tests in one process: three nodes behind a fake NodeLink, sharing one
// 2-of-3 key. Each runs the real engine (shares from an in-process DKG, presignatures from
// in-process presign sessions) and the real request checks (src/requests), and can be told to be
// down, to fail, or to send a wrong partial; `intercept` wraps every call (fault injection).
import assert from 'node:assert/strict';
import { keccak256, recoverAddress, toHex, bytesToHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { authorizeRequest, VerifiedRequests } from '../../src/auth/index.ts';
import { Coordinator, type CoordinatorOptions, type NodeLink, type RequestJournal } from '../../src/coordinator/coordinator.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { NetError } from '../../src/net/errors.ts';
import { NodeError, NodeMethod, publicValuesToWire, type KeyRecord, type PresignCall, type SignCall } from '../../src/node/api.ts';
import { addressOfPublicKey } from '../../src/node/keygen.ts';
import { authorizeSign } from '../../src/requests/index.ts';
import type { DanParams, SignResult } from '../../src/rpc/index.ts';
import type { KeyShare, Presignature } from '../../src/tss/index.ts';
import { dkg, presign } from './tss.ts';

export const NET = 'unit';
export const PEERS = ['node-a', 'node-b', 'node-c'];
export const owner = privateKeyToAccount(generatePrivateKey());
export const stranger = privateKeyToAccount(generatePrivateKey());
const shares = dkg(2, 3);
const publicKey = bytesToHex(shares[0].publicKey);
export const record: KeyRecord = {
  keyId: 'key_unit',
  publicKey,
  address: addressOfPublicKey(publicKey),
  threshold: 2,
  parties: PEERS,
  party: 0,
  owner: owner.address,
  authorizedSigners: [],
  expiresAt: 0,
  requestId: 'kg',
  createdAt: 0,
};

export type Behaviour = 'honest' | 'down' | 'unavailable' | 'wrong-partial' | 'policy';

/** Three fake nodes sharing one key; presign sessions run in process when their first signer is asked. */
export function network() {
  const behaviour = new Map<string, Behaviour>(PEERS.map((p) => [p, 'honest']));
  const pools = new Map<string, Map<string, Presignature>>(PEERS.map((p) => [p, new Map()]));
  const sessions = new Map<string, Map<number, Presignature>>();
  const calls: { peer: string; method: string }[] = [];
  const verified = new VerifiedRequests(NET);
  const node = (peer: string): { share: KeyShare; party: number } => ({ share: shares[PEERS.indexOf(peer)], party: PEERS.indexOf(peer) });
  /** Wraps every call: `answer` runs the fake node (tests inject failures around it). */
  const faults: { intercept?: (peer: string, method: string, answer: () => Promise<unknown>) => Promise<unknown> } = {};
  const answer = async <T>(peer: string, method: string, body: unknown): Promise<T> => {
    const b = behaviour.get(peer);
    if (b === 'down' || (b === 'unavailable' && method === NodeMethod.sign)) throw new NetError('PEER_UNAVAILABLE', `cannot reach ${peer}`);
    const { share, party } = node(peer);
    switch (method) {
      case NodeMethod.keyInfo:
        return { ...record, party } as T;
      case NodeMethod.peerRecords:
        return { records: [] } as T;
      case NodeMethod.presignatures:
        return { presignatures: [...pools.get(peer)!.values()].map((p) => ({ id: hex(p.id), signers: p.signers, noncePoint: hex(p.noncePoint), publicValues: publicValuesToWire(p.publicValues) })) } as T;
      case NodeMethod.presign: {
        const { sessionId, signers } = body as PresignCall;
        if (!sessions.has(sessionId)) sessions.set(sessionId, presign(shares, signers));
        const mine = sessions.get(sessionId)!.get(party)!;
        pools.get(peer)!.set(hex(mine.id), mine);
        return { presignatureId: hex(mine.id), noncePoint: hex(mine.noncePoint), publicValues: publicValuesToWire(mine.publicValues) } as T;
      }
      case NodeMethod.sign: {
        const { presignatureId, request } = body as SignCall;
        const authorized = authorizeSign(request, record, { verified });
        if (b === 'policy') throw new NodeError('POLICY_VIOLATION', 'refused by policy');
        const p = pools.get(peer)!.get(presignatureId);
        if (!p) throw new NodeError('PRESIGNATURE_UNAVAILABLE', 'no such presignature');
        pools.get(peer)!.delete(presignatureId);
        const digest = b === 'wrong-partial' ? keccak256(authorized.digest) : authorized.digest;
        return { partial: hex(p.sign(share, Buffer.from(digest.slice(2), 'hex'))) } as T;
      }
    }
    throw new Error(`unexpected ${method}`);
  };
  const link: NodeLink = {
    self: PEERS[0],
    operators: PEERS,
    isLive: (peer) => behaviour.get(peer) !== 'down',
    lastSeen: () => undefined,
    call<T>(peer: string, method: string, body: unknown): Promise<T> {
      calls.push({ peer, method });
      const run = () => answer<T>(peer, method, body);
      return (faults.intercept ? faults.intercept(peer, method, run) : run()) as Promise<T>;
    },
  };
  return { link, behaviour, calls, verified, faults };
}

export function memoryJournal(): RequestJournal {
  const entries = new Map<string, { requestHash: string; result?: unknown }>();
  return { getJournal: async (id) => entries.get(id), putJournal: async (id, e) => void entries.set(id, e) };
}

export function coordinator(net: ReturnType<typeof network>, journal = memoryJournal(), extra: Partial<CoordinatorOptions> = {}): Coordinator {
  return new Coordinator(net.link, {
    timeouts: { keyGenMs: 5000, presignMs: 5000, signMs: 2000 },
    pool: { depth: 0, sets: 1, concurrency: 1, lowWater: 0 }, // no background refill: every signature presigns on demand
    verified: net.verified,
    journal,
    recordBlame: async () => {},
    log: silentLogger,
    ...extra,
  });
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const digestOf = (tag: string) => keccak256(toHex(`coordinator ${tag}`));
export const request = async (tag: string, who = owner, o: { requestId?: string; expiry?: number } = {}): Promise<DanParams<'dan_sign'>> => {
  const p = { keyId: record.keyId, digest: digestOf(tag), requestId: o.requestId ?? `r-${tag.replace(/ /g, '-')}` };
  return { ...p, auth: await authorizeRequest(who, 'dan_sign', p, { network: NET, ...(o.expiry ? { expiry: o.expiry } : {}) }) };
};
export const signersOf = (net: ReturnType<typeof network>) => [...new Set(net.calls.filter((c) => c.method === NodeMethod.sign).map((c) => c.peer))].sort();
export const verifies = async (p: DanParams<'dan_sign'>, r: SignResult) => assert.equal(await recoverAddress({ hash: p.digest, signature: r.signature }), record.address);
export const rpcError = (code: number) => (e: unknown) => (e as { code?: number }).code === code;


// The calls a coordinator makes to nodes (over src/net, or in process for its own node): one
// table, NodeApi, gives each method's call and reply types, shared by both ends (the coordinator's
// typed call and the node's dispatch). Bodies are JSON. Every node checks each call itself: the
// user's signed request travels with keyGen and sign calls, so a coordinator (or any peer) cannot
// make a node sign what the key's owner did not ask for.
import { DanError } from '../errors/index.ts';
import type { EphemeralClaim, LegacyRequest, SignRequest } from '../requests/index.ts';
import type { KeyMeta, PeerRecord } from '../store/index.ts';
import type { PresignPublicValues } from '../tss/index.ts';
import type { KeyGenParams, RefreshKeyParams } from '../requests/index.ts';

export const NodeMethod = {
  keyGen: 'node.keyGen',
  keyGenCommit: 'node.keyGenCommit',
  keyGenDiscard: 'node.keyGenDiscard',
  keyStatus: 'node.keyStatus',
  presign: 'node.presign',
  sign: 'node.sign',
  signBind: 'node.signBind',
  signFinish: 'node.signFinish',
  presignatures: 'node.presignatures',
  keyInfo: 'node.keyInfo',
  listKeys: 'node.listKeys',
  addEphemeralKey: 'node.addEphemeralKey',
  refresh: 'node.refresh',
  commitRefresh: 'node.commitRefresh',
  refreshState: 'node.refreshState',
  reshare: 'node.reshare',
  commitReshare: 'node.commitReshare',
  reshareState: 'node.reshareState',
  reshareSource: 'node.reshareSource',
  derivedRecords: 'node.derivedRecords',
  peerRecords: 'node.peerRecords',
} as const satisfies Record<string, NodeMethodName>;

export type KeyGenCall = {
  /** 32-byte hex session id, fresh per run. */
  sessionId: string;
  /** Peer ids of the parties, in party order (this node among them). */
  nodes: string[];
} & (
  | {
      /** The owner's signed dan_keyGen request. */
      request: KeyGenParams;
      /** Derive the key from this master key (no DKG): its parties must be `nodes`. */
      master?: string;
    }
  | {
      /** A legacy wallet-provider keygen, frames as the client sent them (src/compat). */
      legacy: LegacyRequest;
      master?: string;
    }
  | {
      /**
       * A master key, asked for by an operator: the caller must be one of `nodes` (every peer of
       * the network is an operator's node). Its id derives from the session id.
       */
      masterKey: { threshold: number };
    }
);
export interface KeyGenReply {
  keyId: string;
  publicKey: string;
  /**
   * Set when the key is pending here (a DKG that finished, not yet confirmed): the run it came
   * from and this node's identity signature (hex) on keyGenAckStatement(keyId, session, publicKey).
   * Absent when the key was already committed here.
   */
  session?: string;
  ack?: string;
}

/**
 * The confirmation of a DKG that finished at every party: the node checks every party's
 * acknowledgement of the run, then makes its pending key a key (idempotent).
 */
export interface KeyGenCommitCall {
  keyId: string;
  /** The run (KeyGenReply.session). */
  sessionId: string;
  /** Peer id -> ack (hex), one per party of the key. */
  acks: Record<string, string>;
}
export interface KeyGenCommitReply {
  keyId: string;
  status: 'committed';
}

/**
 * A DKG that did not finish at every party: the node settles its pending key of that run now
 * (src/node/pending-keys.ts: discarded when some party does not hold it, committed when every
 * party does, kept for recovery when some party does not answer). Safe to send at any time.
 */
export interface KeyGenDiscardCall {
  keyId: string;
  sessionId: string;
}
export interface KeyGenDiscardReply {
  keyId: string;
  outcome: PendingKeyOutcome;
}

/** Asked by the other parties of a key about a run of its DKG (nothing secret in the answer). */
export interface KeyStatusCall {
  keyId: string;
  sessionId: string;
}
export interface KeyStatusReply {
  keyId: string;
  /**
   * About run `sessionId` here: its key is committed, pending, or its DKG is still running; or
   * absent: this node does not hold it and never will (never stored, discarded, or another run's).
   */
  status: 'committed' | 'pending' | 'running' | 'absent';
  publicKey?: string;
  /** committed: every party's acknowledgement (as committed); pending: this node's own. */
  acks?: Record<string, string>;
}

/** What settling a pending key did. */
export type PendingKeyOutcome = 'committed' | 'discarded' | 'pending' | 'absent';

export interface PresignCall {
  sessionId: string;
  keyId: string;
  /** Party indices of the signers, ascending. */
  signers: number[];
  /**
   * The generation the caller takes to be in use (its parties and threshold with it): a node
   * holding another refuses (STALE_KEY) instead of running a session nobody else runs.
   */
  generation?: string;
}
export interface PresignReply {
  presignatureId: string;
  /** R (33-byte compressed, hex): the combiner checks every partial names this nonce point. */
  noncePoint: string;
  /** The presignature's public values: the combiner verifies this node's partial with them. */
  publicValues: WirePublicValues;
}

/**
 * The online step: the node checks the request itself (src/requests: the user's signature, the
 * key's policy, the userOp against what the user signed) and signs the one digest it derives.
 */
export interface SignCall {
  presignatureId: string;
  request: SignRequest;
}
export interface SignReply {
  /** Engine PartialSignature bytes, hex. */
  partial: string;
}

/**
 * A derived key's online step, first half: the node checks the request as for node.sign, binds the
 * presignature of the master key to this one use (key, digest, signers) durably, and only then
 * opens its re-randomizer seed, with its identity signature on the binding and the seed
 * (signBindStatement): the other signers check that everyone bound the same use.
 */
export interface SignBindCall {
  presignatureId: string;
  request: SignRequest;
}
export interface SignBindReply {
  /** This node's re-randomizer seed (32 bytes, hex). */
  seed: string;
  /** Identity signature (hex) on signBindStatement(...). */
  ack: string;
}

/** Second half: with every signer's opened seed and acknowledgement, the partial. */
export interface SignFinishCall {
  presignatureId: string;
  /** The derived key and the request id the presignature was bound with. */
  keyId: string;
  requestId: string;
  /** Peer id -> its SignBindReply, one per signer (this node's own included). */
  openings: Record<string, SignBindReply>;
}

/** What a signer signs when it has bound a master key's presignature to one use, and opens its seed. */
export function signBindStatement(b: { master: string; presignatureId: string; keyId: string; digest: string; signers: readonly number[]; seed: string }): Uint8Array {
  return new TextEncoder().encode(`dan-node/sign-bind/v1\n${b.master}\n${b.presignatureId}\n${b.keyId}\n${b.digest.toLowerCase()}\n${b.signers.join(',')}\n${b.seed}`);
}

/** Register another ephemeral key with a key (legacy addEphemeralKey, signed by the key's owner). */
export interface AddEphemeralKeyCall {
  legacy: LegacyRequest;
}
export interface AddEphemeralKeyReply {
  ephId: string;
}

export interface PresignaturesCall {
  keyId: string;
}
export interface PresignaturesReply {
  presignatures: { id: string; signers: number[]; noncePoint?: string; publicValues?: WirePublicValues }[];
}

/**
 * Phase 1 of a refresh: run the engine's refresh among all the key's parties and keep the new
 * share pending. Authorized by the key owner's signed dan_refreshKey, or by an operator: any
 * operator peer may ask (a refresh keeps the public key and signs nothing), at most once per key
 * per OPERATOR_REFRESH_INTERVAL_MS.
 */
export type RefreshCall = { sessionId: string; keyId: string } & ({ request: RefreshKeyParams } | { operator: true });
export interface RefreshReply {
  keyId: string;
  /** Hex id of the new generation (the same at every party of a successful run). */
  generation: string;
  /** This node's identity signature (hex) on refreshAckStatement(keyId, generation, publicKey). */
  ack: string;
}

/** Phase 2: switch to the pending generation, given every party's acknowledgement of it. */
export interface CommitRefreshCall {
  keyId: string;
  generation: string;
  /** Peer id -> ack (hex), one per party of the key. */
  acks: Record<string, string>;
}
export interface CommitRefreshReply {
  keyId: string;
  generation: string;
}

export interface RefreshStateReply {
  keyId: string;
  /** The generation in use. */
  generation: string;
  /** A refreshed generation waiting for its commit. */
  pending?: string;
  /** The acknowledgements of the generation in use, when it came from a refresh. */
  acks?: Record<string, string>;
}

/**
 * Phase 1 of a reshare (docs/reshare.md): move a key (isolated or master) to `parties` with
 * `threshold`, same public key. `dealers` are holders of the current generation that deal (at
 * least its threshold). Every node taking part (dealer or receiver) must hold its operator's
 * approval of this target (`dan-node keys approve`); a receiver that does not hold the key reads
 * its public data from every dealer (node.reshareSource) and takes it only if all agree.
 */
export interface ReshareCall {
  sessionId: string;
  keyId: string;
  /** The new parties, in new party order. */
  parties: string[];
  threshold: number;
  /** Holders of the current generation that deal, in their current party order. */
  dealers: string[];
}
export interface ReshareReply {
  keyId: string;
  /** Hex id of the new generation (the same at every party of a successful run). */
  generation: string;
  /** Receivers: identity signature (hex) on reshareAckStatement (the new share is stored pending). */
  ack?: string;
}

/** Phase 2: every receiver switches to the new generation; a holder left out deletes its share. */
export interface CommitReshareCall {
  keyId: string;
  generation: string;
  parties: string[];
  threshold: number;
  /** Peer id -> ack (hex), one per new party. */
  acks: Record<string, string>;
}
export interface CommitReshareReply {
  keyId: string;
  generation: string;
  /** switched: this node holds the new generation; left: it deleted its share; none: it held nothing of the key. */
  outcome: 'switched' | 'left' | 'none';
}

export interface ReshareStateReply {
  keyId: string;
  /** The generation in use here, its parties and threshold (absent: this node holds no share of the key). */
  generation?: string;
  parties?: string[];
  threshold?: number;
  /** A new generation held pending here (a reshare or refresh not yet switched to). */
  pending?: string;
  /** The new parties' acknowledgements of the generation in use, when it came from a reshare. */
  acks?: Record<string, string>;
}

/** What a dealer tells a joining receiver: the key's record and the current generation's public data. */
export interface ReshareSourceReply {
  /** The key's record as every party holds it (reshareRecord: nothing that differs between parties). */
  record: KeyRecord;
  /** GenerationRecord (src/tss encodeGeneration), hex. */
  generation: string;
}

/** A page of the records of keys derived from a master key (for a node joining the master). */
export interface DerivedRecordsCall {
  master: string;
  /** The last key id of the previous page. */
  after?: string;
  limit: number;
}
export interface DerivedRecordsReply {
  /** In key-id order, as reshareRecord gives them. */
  records: KeyRecord[];
  more: boolean;
}

/** This node's bans, suspensions and the blames its coordinator recorded (evidence without its copy: `dan-node bans show` has it). */
export interface PeerRecordsReply {
  records: PeerRecord[];
}

export const OPERATOR_REFRESH_INTERVAL_MS = 30_000;

/** A presignature's public values on the wire and in the store index: hex strings. */
export type WirePublicValues = Record<keyof PresignPublicValues, string>;

export function publicValuesToWire(v: PresignPublicValues): WirePublicValues {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  return { phi: hex(v.phi), s1: hex(v.s1), b: hex(v.b) };
}

/** Undefined when `v` is not a well-formed WirePublicValues (the engine checks the points). */
export function publicValuesFromWire(v: unknown): PresignPublicValues | undefined {
  const w = v as Partial<WirePublicValues> | null;
  const bytes = (s: unknown) => (typeof s === 'string' && /^(?:[0-9a-f]{2}){1,64}$/.test(s) ? new Uint8Array(Buffer.from(s, 'hex')) : undefined);
  const phi = bytes(w?.phi);
  const s1 = bytes(w?.s1);
  const b = bytes(w?.b);
  return phi && s1 && b ? { phi, s1, b } : undefined;
}

/** What a node signs to acknowledge that it holds (durably, pending) the key of DKG run `session`. */
export function keyGenAckStatement(keyId: string, session: string, publicKey: string): Uint8Array {
  return new TextEncoder().encode(`dan-node/keygen-ack/v1\n${keyId}\n${session.toLowerCase()}\n${publicKey.toLowerCase()}`);
}

/** What a node signs to acknowledge that it holds the pending share of `generation`. */
export function refreshAckStatement(keyId: string, generation: string, publicKey: string): Uint8Array {
  return new TextEncoder().encode(`dan-node/refresh-ack/v1\n${keyId}\n${generation}\n${publicKey.toLowerCase()}`);
}

/** What a receiver signs to acknowledge that it holds (pending) its share of the reshared `generation`. */
export function reshareAckStatement(keyId: string, generation: string, publicKey: string, parties: readonly string[], threshold: number): Uint8Array {
  return new TextEncoder().encode(`dan-node/reshare-ack/v1\n${keyId}\n${generation}\n${publicKey.toLowerCase()}\n${threshold}\n${parties.join(',')}`);
}

export interface KeyInfoCall {
  keyId: string;
}

export interface ListKeysCall {
  owner: string;
}

/** A key as every party stores it (public; the share is stored apart, encrypted). */
export type KeyRecord = KeyMeta & {
  address: string;
  authorizedSigners: string[];
  expiresAt: number;
  policy?: unknown;
  /**
   * Legacy wallet-provider keys: the ephemeral keys that may request signatures, expired ones
   * included (an ephemeral key id is never registered again with another key or an older expiry).
   */
  ephemeralKeys?: EphemeralClaim[];
  requestId: string;
  /** Hex id of the share generation in use (the DKG's, then each refresh's). */
  generation?: string;
  /** Peers whose ban was lifted: no presigning with them until the key is refreshed. */
  refreshRequired?: string[];
  /** The parties' acknowledgements of the generation in use (after a refresh). */
  refreshAcks?: Record<string, string>;
  refreshedAt?: number;
  /** The new parties' acknowledgements of the generation in use, when it came from a reshare. */
  reshareAcks?: Record<string, string>;
  resharedAt?: number;
  /** The DKG run the key came from (absent on keys made before confirmations existed). */
  keyGenSession?: string;
  /** Every party's acknowledgement that it held the key of that run (keyGenAckStatement). */
  keyGenAcks?: Record<string, string>;
  /** A master key: serves the keys derived from it, signs nothing itself. */
  master?: true;
  /** A derived key: the public key is the master's plus tweak*G (src/tss derive.ts); no share of its own. */
  derivation?: KeyDerivation;
};

export interface KeyDerivation {
  /** The master key's id. */
  master: string;
  /** eps (derived with the key id as its path), 32 bytes hex. */
  tweak: string;
}

/** Every node method: its call and its reply. */
export interface NodeApi {
  'node.keyGen': [KeyGenCall, KeyGenReply];
  'node.keyGenCommit': [KeyGenCommitCall, KeyGenCommitReply];
  'node.keyGenDiscard': [KeyGenDiscardCall, KeyGenDiscardReply];
  'node.keyStatus': [KeyStatusCall, KeyStatusReply];
  'node.presign': [PresignCall, PresignReply];
  'node.sign': [SignCall, SignReply];
  'node.signBind': [SignBindCall, SignBindReply];
  'node.signFinish': [SignFinishCall, SignReply];
  'node.presignatures': [PresignaturesCall, PresignaturesReply];
  'node.keyInfo': [KeyInfoCall, KeyRecord | null];
  'node.listKeys': [ListKeysCall, KeyRecord[]];
  'node.addEphemeralKey': [AddEphemeralKeyCall, AddEphemeralKeyReply];
  'node.refresh': [RefreshCall, RefreshReply];
  'node.commitRefresh': [CommitRefreshCall, CommitRefreshReply];
  'node.refreshState': [KeyInfoCall, RefreshStateReply];
  'node.reshare': [ReshareCall, ReshareReply];
  'node.commitReshare': [CommitReshareCall, CommitReshareReply];
  'node.reshareState': [KeyInfoCall, ReshareStateReply];
  'node.reshareSource': [KeyInfoCall, ReshareSourceReply];
  'node.derivedRecords': [DerivedRecordsCall, DerivedRecordsReply];
  'node.peerRecords': [Record<string, never>, PeerRecordsReply];
}
export type NodeMethodName = keyof NodeApi;
export type CallOf<M extends NodeMethodName> = NodeApi[M][0];
export type ReplyOf<M extends NodeMethodName> = NodeApi[M][1];

/** Errors a node answers a call with (src/errors holds what each means to callers). */
export type NodeErrorCode =
  | 'BAD_CALL'
  | 'UNAUTHORIZED'
  | 'UNKNOWN_KEY'
  | 'KEY_EXPIRED'
  | 'NOT_A_PARTY'
  | 'REQUEST_CONFLICT'
  | 'EPHEMERAL_KEY_CONFLICT'
  | 'PRESIGNATURE_UNAVAILABLE'
  | 'POLICY_VIOLATION'
  | 'PROTOCOL_ABORTED'
  | 'PEER_ABORTED'
  | 'PEER_BANNED'
  | 'PEER_UNAVAILABLE'
  | 'REFRESH_REQUIRED'
  | 'REFRESH_MISMATCH'
  | 'RESHARE_MISMATCH'
  | 'STALE_KEY'
  | 'KEY_PENDING'
  | 'KEYGEN_MISMATCH'
  | 'BUSY'
  | 'TIMEOUT'
  | 'INTERNAL';

export class NodeError extends DanError<NodeErrorCode> {
  override name = 'NodeError';
}

// What the coordinator's method modules share: the link to the nodes, options, pools, standings,
// the key directory, idempotency, and the request context (network, chain) that the nodes check
// requests against too. Scheduling helpers live here because every module schedules.
import type { Logger } from '../log/logger.ts';
import { toRpcError } from '../rpc/errors.ts';
import type { CallOf, NodeMethodName, ReplyOf } from '../node/api.ts';
import type { PeerRecord } from '../store/index.ts';
import type { RequestContext } from '../requests/index.ts';
import type { VerifiedRequests } from '../auth/index.ts';
import type { GateOptions, Job } from '../admission/index.ts';
import type { KeyDirectory } from './keys.ts';
import type { MasterKeys } from './masters.ts';
import type { RequestOnce, RequestJournal } from './once.ts';
import type { PresignPools } from './pools.ts';
import type { PeerStandings } from './standing.ts';
import type { UserOps } from './user-ops.ts';

/** The coordinator's view of the network: who is up, and a call to any node (its own included). */
export interface NodeLink {
  self: string;
  operators: string[];
  isLive(peer: string): boolean;
  lastSeen(peer: string): number | undefined;
  call<T>(peer: string, method: string, body: unknown, timeoutMs: number): Promise<T>;
}

/** The kinds of online work, each with its admission gate ('derive': keyGen of a derived key). */
export type OnlineWork = 'keyGen' | 'derive' | 'refresh' | 'sign';

export interface CoordinatorOptions {
  timeouts: { keyGenMs: number; presignMs: number; signMs: number };
  pool: { depth: number; sets: number; concurrency: number; lowWater: number };
  /** Verifies request signatures for this network; shared with this process's node (verified once per process). */
  verified: VerifiedRequests;
  /** Durable request journal (this node's store): answers survive a coordinator restart. */
  journal: RequestJournal;
  /** The chain for dan_useDistributedPermission (absent: the method is refused). */
  userOps?: UserOps;
  /** Admission limits per kind of online work, over the defaults (coordinator.ts ADMISSION). */
  admission?: Partial<Record<OnlineWork, Partial<Omit<GateOptions, 'name'>>>>;
  /** Store a blame on this coordinator's own node (fsynced): blames survive a restart. */
  recordBlame(record: Omit<PeerRecord, 'kind'>): Promise<unknown>;
  log: Logger;
}

export interface CoordinatorContext {
  nodes: NodeLink;
  o: CoordinatorOptions;
  pools: PresignPools;
  standings: PeerStandings;
  keys: KeyDirectory;
  /** The master keys keyGen derives from. */
  masters: MasterKeys;
  once: RequestOnce;
  /** What requests are checked against here (the same code the nodes run). */
  requests: RequestContext;
  log: Logger;
  /**
   * Run online work through its admission gate (rejects with BUSY when over capacity; `lane`: the
   * key, served in arrival order; `arrivedAt`: performance.now() at the request's arrival, which
   * starts its budget); pool refilling gives way to it.
   */
  online<T>(kind: OnlineWork, work: Job<T>, lane?: string, arrivedAt?: number): Promise<T>;
  /** Throw the BUSY a request of this kind would get from its gate now (before slower preparation). */
  admit(kind: OnlineWork, lane?: string): void;
  /** The next index of the rotation of on-demand presigning over signer sets. */
  nextSet(): number;
}

/** A typed call to a node method; it always fails as a rejected promise, never by throwing. */
export function callNode<M extends NodeMethodName>(ctx: Pick<CoordinatorContext, 'nodes'>, peer: string, method: M, body: CallOf<M>, timeoutMs: number): Promise<ReplyOf<M>> {
  try {
    return ctx.nodes.call<ReplyOf<M>>(peer, method, body, timeoutMs);
  } catch (e) {
    return Promise.reject(e);
  }
}

export function isLive(ctx: Pick<CoordinatorContext, 'nodes'>, peer: string): boolean {
  return peer === ctx.nodes.self || ctx.nodes.isLive(peer);
}

/** Live and not excluded (banned, suspended, blamed): may be put in a signer set. */
export function schedulable(ctx: Pick<CoordinatorContext, 'nodes' | 'standings'>, peer: string): boolean {
  return isLive(ctx, peer) && !ctx.standings.excluded(peer);
}

/** Run a request check; its typed errors become the RpcError the caller sees. */
export function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    throw toRpcError(e);
  }
}

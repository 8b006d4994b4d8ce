// The coordinator role: turns dan_* requests into work for the nodes, one module per method over a
// shared CoordinatorContext (context.ts):
// - keygen.ts: dan_keyGen — choose the parties, run the DKG on each, check they agree;
// - signing.ts: dan_sign, dan_signUserOperation — the signing-request core (src/requests) and
//   threshold signing with failover; permission.ts: dan_useDistributedPermission — build the
//   userOp within the user's caps, sign it, submit it;
// - refresh.ts: dan_refreshKey, owner-signed or operator-run (two phases);
// - reshare.ts: an operator moves a key to other parties or another threshold (two phases);
// - reads.ts: key metadata, node status (with every node's bans and blames), pool status;
// - legacy.ts: the legacy wallet-provider operations, on generateKey and signRequest.
// Every request is checked here with the same code every node runs again; no answer (fresh or
// remembered, once.ts) leaves for a request whose authorization is not valid now.
// Blame: every failed node call is handed to PeerStandings (standing.ts), which records bans and
// blames and says which peers may no longer be scheduled; a request that failed leaves out the
// suspect its failure names (not the node that reported it).
// It holds no share by virtue of the role: its own node is just one of the parties.
import type { Address, Hex } from 'viem';
import { NodeMethod, publicValuesFromWire, type KeyRecord } from '../node/api.ts';
import { authorizeRefresh, type SignRequest } from '../requests/index.ts';
import { RpcError, RpcErrorCode, toRpcError, validateParams, type DanMethod, type DanParams, type DanResult, type SignResult } from '../rpc/index.ts';
import { callNode, checked, isLive, schedulable, type CoordinatorContext, type CoordinatorOptions, type NodeLink, type OnlineWork } from './context.ts';
import { generateKey, keyGen } from './keygen.ts';
import { MasterKeys, createMasterKey } from './masters.ts';
import { KeyDirectory, poolKey } from './keys.ts';
import { RequestOnce } from './once.ts';
import { useDistributedPermission } from './permission.ts';
import { PresignPools } from './pools.ts';
import { getKey, listKeys, nodeStatus, presignStatus } from './reads.ts';
import { refreshKey, type RefreshAuthorization } from './refresh.ts';
import { reshareKey, type ReshareOutcome, type ReshareTarget } from './reshare.ts';
import { consistent, hexBytes, presign, signRequest, staleKey } from './signing.ts';
import { PeerStandings } from './standing.ts';
import { userOperationHash } from '../auth/index.ts';
import { Gate, type GateOptions, type Job } from '../admission/index.ts';
import { DanError } from '../errors/index.ts';

export type { NodeLink, CoordinatorOptions } from './context.ts';
export type { RequestJournal } from './once.ts';

/** Refill waits until no online request has run for this long. */
const IDLE_MS = 50;
/** How often every node's bans and blames are read. */
const STANDING_POLL_MS = 5_000;
/**
 * Default admission limits. A DKG keeps every party's cores busy (and this process's event loop:
 * its node is a party): one at a time, and no more queued than are expected to start within 15 s
 * (refused at 20 s if the estimate was wrong), so a client's call (30 s by default) ends in an
 * answer. Signing: 16 at a time (more only adds contention on the nodes' cores), served per key
 * in arrival order and round-robin across keys; a request that would wait over 2 s is refused at
 * once (and one still waiting at 3 s then); one not answered 5 s after it arrived gets BUSY
 * (signing.ts).
 */
const ADMISSION: Record<OnlineWork, Omit<GateOptions, 'name'>> = {
  keyGen: { concurrency: 1, maxQueue: 64, maxWaitMs: 15_000, deadlineMs: 20_000, initialEstimateMs: 3_000 },
  derive: { concurrency: 32, maxQueue: 1024, maxWaitMs: 2_000, deadlineMs: 3_000, initialEstimateMs: 10 },
  refresh: { concurrency: 1, maxQueue: 16, maxWaitMs: 15_000, deadlineMs: 20_000, initialEstimateMs: 5_000 },
  sign: { concurrency: 16, maxQueue: 512, maxQueuePerLane: 128, maxWaitMs: 2_000, deadlineMs: 3_000, initialEstimateMs: 50, budgetMs: 5_000 },
};

export class Coordinator {
  readonly pools: PresignPools;
  readonly standings: PeerStandings;
  readonly ctx: CoordinatorContext;
  private standingTimer: NodeJS.Timeout | undefined;
  private onlineCount = 0; // DKGs and signings in flight
  private lastOnline = 0;
  private setIndex = 0; // rotates on-demand presigning over the live signer sets
  /** Admission control per kind of online work (src/admission): bounded, fair, fast BUSY refusals. */
  readonly gates: Record<OnlineWork, Gate>;

  constructor(
    private readonly nodes: NodeLink,
    private readonly o: CoordinatorOptions,
  ) {
    const log = o.log;
    this.gates = {
      keyGen: new Gate({ name: 'keyGen', ...ADMISSION.keyGen, ...o.admission?.keyGen }),
      derive: new Gate({ name: 'derive', ...ADMISSION.derive, ...o.admission?.derive }),
      refresh: new Gate({ name: 'refresh', ...ADMISSION.refresh, ...o.admission?.refresh }),
      sign: new Gate({ name: 'sign', ...ADMISSION.sign, ...o.admission?.sign }),
    };
    this.standings = new PeerStandings({ self: nodes.self, recordBlame: o.recordBlame, log: log.child({ component: 'standing' }) });
    const ctx: CoordinatorContext = {
      nodes,
      o,
      standings: this.standings,
      pools: undefined as unknown as PresignPools,
      keys: new KeyDirectory({
        nodes,
        callMs: o.timeouts.signMs,
        onFirstSeen: (key) => {
          const pool = poolKey(key);
          if (this.pools.changed(pool)) void this.pools.rebuild(pool);
        },
        log,
      }),
      masters: new MasterKeys(),
      once: new RequestOnce(o.journal, log),
      requests: { verified: o.verified, chain: o.userOps?.chain },
      log,
      online: (kind, work, lane, arrivedAt) => this.online(kind, work, lane, arrivedAt),
      admit: (kind, lane) => {
        const refused = this.gates[kind].refusal(lane);
        if (refused) throw refused;
      },
      nextSet: () => this.setIndex++,
    };
    this.pools = new PresignPools(
      {
        usable: (peer) => schedulable(ctx, peer) && !this.standings.coolingDown(peer),
        presign: (key, signers) =>
          presign(ctx, key, signers).catch((e: unknown) => {
            // Switched behind this coordinator's back (another coordinator's refresh or reshare): read the key again.
            if (staleKey(e)) {
              ctx.keys.dropWithDerived(key.keyId);
              void ctx.keys.require(key.keyId).catch(() => undefined);
            }
            throw e;
          }),
        // Short time-out: a connected node that does not answer must not hold up the pools.
        listPresignatures: async (peer, keyId) => {
          const { presignatures } = await callNode(ctx, peer, NodeMethod.presignatures, { keyId }, Math.min(o.timeouts.signMs, 2000));
          return presignatures.map((p) => ({ id: p.id, signers: p.signers, noncePoint: hexBytes(p.noncePoint), publicValues: publicValuesFromWire(p.publicValues) }));
        },
        consistent: (values) => consistent(values),
      },
      { self: nodes.self, ...o.pool, isIdle: () => this.onlineCount === 0 && Date.now() - this.lastOnline > IDLE_MS },
      log.child({ component: 'pools' }),
    );
    ctx.pools = this.pools;
    this.ctx = ctx;
  }

  start(): void {
    this.pools.start();
    this.ctx.masters.load(this.ctx).catch((e: Error) => this.o.log.error('could not read the master keys: keyGen makes isolated keys until they are read', { error: e.message }));
    void this.readStandings();
    this.standingTimer ??= setInterval(() => void this.readStandings(), STANDING_POLL_MS);
  }

  stop(): void {
    this.pools.stop();
    clearInterval(this.standingTimer);
    this.standingTimer = undefined;
  }

  /** Read every live node's bans, suspensions and blames (see PeerStandings). */
  async readStandings(): Promise<void> {
    await Promise.all(
      this.nodes.operators.filter((peer) => isLive(this.ctx, peer)).map(async (peer) => {
        try {
          this.standings.update(peer, (await callNode(this.ctx, peer, NodeMethod.peerRecords, {}, 2000)).records);
        } catch (e) {
          this.o.log.debug("could not read a node's peer records", { peer, error: (e as Error).message });
        }
      }),
    );
  }

  /** Entry point of the JSON-RPC server: validated params to the method's handler. */
  handle(method: string, rawParams: unknown): Promise<unknown> {
    // The one method without authentication: which network requests must be signed for.
    if (method === 'dan_network') return Promise.resolve({ network: this.o.verified.network });
    const params = validateParams(method as DanMethod, rawParams);
    const handler = this.methods[method as DanMethod] as (p: unknown) => Promise<unknown>;
    // Errors of the project's family (BUSY, PEER_UNAVAILABLE, ...) reach the caller as their
    // registry's JSON-RPC error; anything else stays an internal error for the server to log.
    return handler(params).catch((e: unknown) => {
      throw e instanceof DanError ? toRpcError(e) : e;
    });
  }

  private readonly methods: { [M in DanMethod]: (p: DanParams<M>) => Promise<DanResult<M>> } = {
    dan_keyGen: (p) => keyGen(this.ctx, p),
    dan_sign: (p) => this.sign({ kind: 'digest', request: p }),
    dan_getKey: (p) => getKey(this.ctx, p),
    dan_listKeys: (p) => listKeys(this.ctx, p),
    dan_nodes: (p) => nodeStatus(this.ctx, p),
    dan_presignStatus: (p) => presignStatus(this.ctx, p),
    dan_signUserOperation: async (p) => {
      const { signature } = await this.sign({ kind: 'userOperation', request: p });
      return { userOpHash: userOperationHash(p.userOperation, p.entryPoint, p.chainId), signature };
    },
    dan_useDistributedPermission: (p) => useDistributedPermission(this.ctx, p),
    dan_refreshKey: (p) => this.refreshKeyRequest(p),
  };

  /** A signing request of any dialect (the legacy endpoint's signgen too). */
  async sign(req: SignRequest): Promise<SignResult> {
    const { signature, r, s, v } = await signRequest(this.ctx, req);
    return { signature, r, s, v };
  }

  /** Key generation, once per request (the legacy endpoint's keygen too). */
  generateKey(r: Parameters<typeof generateKey>[1]): Promise<KeyRecord> {
    return generateKey(this.ctx, r);
  }

  /** An operator's new master key (`dan-node master create`); keyGen derives from it from now on. */
  createMasterKey(threshold: number, parties?: readonly string[]): Promise<KeyRecord> {
    return createMasterKey(this.ctx, this.ctx.masters, threshold, parties);
  }

  /** The master keys keyGen derives from. */
  masterKeys(): readonly KeyRecord[] {
    return this.ctx.masters.list();
  }

  requireKey(keyId: string): Promise<KeyRecord> {
    return this.ctx.keys.require(keyId);
  }

  /** Ask every party of `key` (all must answer); the cached key record is dropped (its meta may change). */
  async callParties<M extends 'node.addEphemeralKey'>(key: KeyRecord, method: M, body: Parameters<typeof callNode<M>>[3]): Promise<unknown[]> {
    try {
      return await Promise.all(key.parties.map((peer) => callNode(this.ctx, peer, method, body, this.o.timeouts.signMs)));
    } catch (e) {
      throw toRpcError(e, 'not every key party accepted the request');
    } finally {
      this.ctx.keys.drop(key.keyId);
    }
  }

  /**
   * Run online work (DKG, refresh, signing) through its admission gate (BUSY when over capacity);
   * pool refilling gives way to it while it waits or runs.
   */
  private async online<T>(kind: OnlineWork, work: Job<T>, lane?: string, arrivedAt?: number): Promise<T> {
    this.onlineCount++;
    try {
      return await this.gates[kind].run(work, lane, arrivedAt);
    } finally {
      this.onlineCount--;
      this.lastOnline = Date.now();
    }
  }

  // --- reshare ----------------------------------------------------------------------------

  /**
   * Move a key (isolated or master) to `target` (see reshare.ts), for `dan-node keys` on this node.
   * Every node taking part checks its own operator's approval. Afterwards the key's record (and its
   * derived keys') is read again and its pools start over with the new parties.
   */
  async reshare(keyId: string, target: ReshareTarget): Promise<ReshareOutcome & { keyId: string; publicKey: string; parties: string[]; threshold: number }> {
    const unknown = target.parties.filter((p) => !this.nodes.operators.includes(p));
    if (unknown.length) throw new RpcError(RpcErrorCode.INVALID_PARAMS, `not an operator of this network (add it to "operators" in every node's config first): ${unknown.join(', ')}`, { reason: 'invalid_field', field: 'parties' });
    const key = await this.ctx.keys.require(keyId);
    if (key.derivation) throw new RpcError(RpcErrorCode.INVALID_PARAMS, `key ${keyId} is derived from ${key.derivation.master}: reshare the master (its derived keys follow)`, { reason: 'invalid_field', field: 'keyId' });
    const options = {
      nodes: this.nodes,
      keyGenMs: this.o.timeouts.keyGenMs,
      callMs: Math.max(this.o.timeouts.signMs, 5000),
      report: (peer: string, e: unknown) => this.standings.report(peer, e),
      isLive: (peer: string) => isLive(this.ctx, peer),
      log: this.o.log.child({ component: 'reshare' }),
    };
    const outcome = await this.online('refresh', () =>
      reshareKey(options, key, target).catch((e: unknown) => {
        throw toRpcError(e, 'reshare failed');
      }),
    );
    // Read the key again: its pools start over with the new parties and generation.
    this.ctx.keys.dropWithDerived(keyId);
    await this.ctx.keys.require(keyId).catch(() => undefined);
    if (key.master) await this.ctx.masters.load(this.ctx);
    return { keyId, publicKey: key.publicKey, ...target, ...outcome };
  }

  // --- refresh ----------------------------------------------------------------------------

  /** dan_refreshKey: the key's owner asks for new shares (same key and address). */
  private async refreshKeyRequest(p: DanParams<'dan_refreshKey'>): Promise<DanResult<'dan_refreshKey'>> {
    const key = await this.ctx.keys.require(p.keyId);
    const authorize = () => void checked(() => authorizeRefresh(p, key, this.ctx.requests));
    authorize();
    return this.ctx.once.run(`dan_refreshKey:${p.requestId}`, this.ctx.requests.verified.content('dan_refreshKey', p), authorize, () => this.refresh(key, { request: p }));
  }

  /**
   * Refresh a key through every party (see refresh.ts); the operator path (`{ operator: true }`)
   * is for `dan-node refresh` on this node. Afterwards the key's pools start over.
   */
  async refresh(key: KeyRecord, how: RefreshAuthorization): Promise<DanResult<'dan_refreshKey'>> {
    const down = key.parties.filter((p) => !isLive(this.ctx, p));
    if (down.length) throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `every party of the key must be up to refresh it; down: ${down.join(', ')}`, { reason: 'quorum_unavailable' });
    const options = {
      nodes: this.nodes,
      keyGenMs: this.o.timeouts.keyGenMs,
      callMs: Math.max(this.o.timeouts.signMs, 5000),
      report: (peer: string, e: unknown) => this.standings.report(peer, e),
      log: this.o.log.child({ component: 'refresh' }),
    };
    const { generation } = await this.online('refresh', () =>
      refreshKey(options, key.keyId, key.parties, how).catch((e: unknown) => {
        throw toRpcError(e, 'refresh failed');
      }),
    );
    // Read the key again: its pools start over with the new generation (a master's derived keys with it).
    this.ctx.keys.dropWithDerived(key.keyId);
    await this.ctx.keys.require(key.keyId).catch(() => undefined);
    return { keyId: key.keyId, publicKey: key.publicKey as Hex, address: key.address as Address, generation: `0x${generation}`, nodes: key.parties };
  }
}

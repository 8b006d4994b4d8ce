// The coordinator role: turns dan_* requests into work for the nodes. It checks each request first
// (parameters, the EIP-712 authentication, the signer's rights), then:
// - keyGen: picks the parties, starts the DKG on each with the owner's signed request, checks they
//   all derived the same key;
// - sign: takes a presignature whose signers are all up (or presigns on demand), sends the signed
//   request to each signer, combines and verifies the partials; a node that fails or times out is
//   left out and another signer set is tried (failover);
// - signUserOperation / useDistributedPermission: the same with the EIP-191 digest of a v0.7 userOp
//   hash (for the latter the coordinator builds the userOp, wraps the signature for Smart Sessions
//   and submits it to the bundler, see user-ops.ts);
// - refreshKey: the two-phase refresh of refresh.ts, owner-signed (dan_refreshKey) or operator-run;
// - read methods: key metadata, node status (with every node's bans and blames), pool status;
// - the legacy wallet-provider operations (legacy.ts) use generateKey, signOnce and callParties.
// Blame: every failed node call is handed to PeerStandings (standing.ts), which records bans and
// blames and says which peers may no longer be scheduled; a request that failed leaves out the
// suspect its failure names (not the node that reported it). A combined signature that does not
// verify names the signer whose partial is wrong (its presignature's public values), and that
// signer is blamed by the coordinator itself.
// A repeated requestId with the same content gets the same answer; with other content it is refused.
// It holds no share by virtue of the role: its own node is just one of the parties.
import { randomBytes } from 'node:crypto';
import { bytesToHex, hashMessage, hexToBytes, numberToHex, type Address, type Hex } from 'viem';
import { AuthError, VerifiedRequests, assertSignerAllowed, authRequestFor, contentDigest, userOperationHash } from '../auth/index.ts';
import type { Logger } from '../log/logger.ts';
import { DanError } from '../errors/index.ts';
import { BundlerError } from '../chain/index.ts';
import { NodeMethod, publicValuesFromWire, type KeyGenCall, type KeyGenReply, type PeerRecordsReply, type PresignReply, type PresignaturesReply, type SignReply } from '../node/api.ts';
import { checkPolicy, parsePolicy } from '../node/policy.ts';
import type { KeyInfo as NodeKeyInfo } from '../node/service.ts';
import {
  RpcError,
  RpcErrorCode,
  toRpcError,
  unauthorized,
  validateParams,
  type DanMethod,
  type DanParams,
  type DanResult,
  type KeyInfo,
} from '../rpc/index.ts';
import { TssError, checkPublicValues, combineSignature, type PresignPublicValues } from '../tss/index.ts';
import type { PeerRecord } from '../store/index.ts';
import { PresignPools, type PoolKey, type Pooled } from './pools.ts';
import { refreshKey, type RefreshAuthorization } from './refresh.ts';
import { PeerStandings } from './standing.ts';
import type { UserOps } from './user-ops.ts';

export interface NodeLink {
  self: string;
  operators: string[];
  isLive(peer: string): boolean;
  lastSeen(peer: string): number | undefined;
  call<T>(peer: string, method: string, body: unknown, timeoutMs: number): Promise<T>;
}

export interface CoordinatorOptions {
  timeouts: { keyGenMs: number; presignMs: number; signMs: number };
  pool: { depth: number; sets: number; concurrency: number; lowWater: number };
  /** Shared with this process's node, so a request is verified once per process. */
  verified: VerifiedRequests;
  /** Durable request journal (this node's store): answers survive a coordinator restart. */
  journal: RequestJournal;
  /** The chain for dan_useDistributedPermission (absent: the method is refused). */
  userOps?: UserOps;
  /** Store a blame on this coordinator's own node (fsynced): blames survive a restart. */
  recordBlame(record: Omit<PeerRecord, 'kind'>): Promise<unknown>;
  log: Logger;
}

/** The part of the node store the coordinator uses to remember answered requests. */
export interface RequestJournal {
  getJournal(id: string): Promise<{ requestHash: string; result?: unknown } | undefined>;
  putJournal(id: string, entry: { method: string; requestHash: string; createdAt: number; result?: unknown }): Promise<void>;
}

/** Refill waits until no online request has run for this long. */
const IDLE_MS = 50;
/** How often every node's bans and blames are read. */
const STANDING_POLL_MS = 5_000;
/** After one node failed a session, how long the others get to report their own failure. */
const FAILURE_GRACE_MS = 300;

const MAX_SIGN_ATTEMPTS = 3;

/** True when another signer set may succeed where this error failed (src/errors registry). */
function retryable(e: unknown): boolean {
  return !(e instanceof DanError) || e.retryable;
}

/** 33 bytes of hex (a compressed point), or undefined. */
function hexBytes(v: unknown): Uint8Array | undefined {
  return typeof v === 'string' && /^[0-9a-f]{66}$/.test(v) ? new Uint8Array(Buffer.from(v, 'hex')) : undefined;
}

/** True when the signers' presignature public values pass the engine's sums check. */
function consistent(values: ReadonlyMap<number, PresignPublicValues>): boolean {
  try {
    checkPublicValues(values);
    return true;
  } catch {
    return false;
  }
}

function authError(e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  if (e instanceof AuthError) return e.toRpcError();
  return unauthorized('bad_signature', (e as Error).message, 'auth.signature');
}

export class Coordinator {
  readonly pools: PresignPools;
  readonly standings: PeerStandings;
  private readonly keys = new Map<string, NodeKeyInfo>();
  private standingTimer: NodeJS.Timeout | undefined;
  private readonly requests = new Map<string, { hash: string; result: Promise<unknown> }>();
  private onlineCount = 0; // DKGs and signings in flight
  private lastOnline = 0;
  private nextSet = 0; // rotates on-demand presigning over the live signer sets

  constructor(
    private readonly nodes: NodeLink,
    private readonly o: CoordinatorOptions,
  ) {
    this.standings = new PeerStandings({ self: nodes.self, recordBlame: o.recordBlame, log: o.log.child({ component: 'standing' }) });
    this.pools = new PresignPools(
      {
        usable: (peer) => this.schedulable(peer) && !this.standings.coolingDown(peer),
        presign: (key, signers) => this.presign(key, signers),
        // Short time-out: a connected node that does not answer must not hold up the pools.
        listPresignatures: async (peer, keyId) => {
          const { presignatures } = await this.nodes.call<PresignaturesReply>(peer, NodeMethod.presignatures, { keyId }, Math.min(o.timeouts.signMs, 2000));
          return presignatures.map((p) => ({ id: p.id, signers: p.signers, noncePoint: hexBytes(p.noncePoint), publicValues: publicValuesFromWire(p.publicValues) }));
        },
        consistent: (values) => consistent(values),
      },
      { self: nodes.self, ...o.pool, isIdle: () => this.onlineCount === 0 && Date.now() - this.lastOnline > IDLE_MS },
      o.log.child({ component: 'pools' }),
    );
  }

  start(): void {
    this.pools.start();
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
      this.nodes.operators.filter((peer) => this.isLive(peer)).map(async (peer) => {
        try {
          this.standings.update(peer, (await this.nodes.call<PeerRecordsReply>(peer, NodeMethod.peerRecords, {}, 2000)).records);
        } catch (e) {
          this.o.log.debug('could not read a node\'s peer records', { peer, error: (e as Error).message });
        }
      }),
    );
  }

  /** Entry point of the JSON-RPC server: validated params to the method's handler. */
  handle(method: string, rawParams: unknown): Promise<unknown> {
    const params = validateParams(method as DanMethod, rawParams);
    const handler = this.methods[method as DanMethod] as (p: unknown) => Promise<unknown>;
    return handler(params);
  }

  private readonly methods: { [M in DanMethod]: (p: DanParams<M>) => Promise<DanResult<M>> } = {
    dan_keyGen: (p) => this.keyGen(p),
    dan_sign: (p) => this.sign(p),
    dan_getKey: (p) => this.getKey(p),
    dan_listKeys: (p) => this.listKeys(p),
    dan_nodes: (p) => this.nodeStatus(p),
    dan_presignStatus: (p) => this.presignStatus(p),
    dan_signUserOperation: (p) => this.signUserOperation(p),
    dan_useDistributedPermission: (p) => this.useDistributedPermission(p),
    dan_refreshKey: (p) => this.refreshKeyRequest(p),
  };

  /** Run online work (DKG, signing) that pool refilling gives way to. */
  private async online<T>(work: () => Promise<T>): Promise<T> {
    this.onlineCount++;
    try {
      return await work();
    } finally {
      this.onlineCount--;
      this.lastOnline = Date.now();
    }
  }

  // --- keyGen -----------------------------------------------------------------------------

  async keyGen(p: DanParams<'dan_keyGen'>): Promise<DanResult<'dan_keyGen'>> {
    const digest = this.authenticate('dan_keyGen', p, [p.owner]);
    const info = await this.generateKey({
      once: `keyGen:${p.requestId}`,
      hash: digest,
      requestId: p.requestId,
      parties: p.parties,
      threshold: p.threshold,
      call: (sessionId, nodes) => ({ sessionId, nodes, request: p }),
    });
    return this.publicKeyInfo(info);
  }

  /**
   * Run a DKG once per request (`once` id, content `hash`): choose the parties, send each node its
   * keyGen call (which carries the user's signed request; every node checks it), check they all
   * derived the same key, and start tracking its presignature pool.
   */
  async generateKey(r: {
    once: string;
    hash: string;
    requestId: string;
    parties: number | readonly string[] | undefined;
    threshold: number;
    call: (sessionId: Hex, nodes: string[]) => KeyGenCall;
  }): Promise<NodeKeyInfo> {
    return this.once(r.once, r.hash, () => this.online(async () => {
      const nodes = this.chooseParties(r.parties, r.threshold);
      const sessionId = bytesToHex(randomBytes(32));
      const log = this.o.log.child({ requestId: r.requestId, session: sessionId.slice(2, 18) });
      log.info('keyGen', { threshold: r.threshold, parties: nodes.length });
      const replies = await this.everyNode(nodes, 'key generation failed', (peer) =>
        this.nodes.call<KeyGenReply>(peer, NodeMethod.keyGen, r.call(sessionId, nodes), this.o.timeouts.keyGenMs + 2000),
      );
      const { keyId, publicKey } = replies[0];
      if (replies.some((x) => x.keyId !== keyId || x.publicKey !== publicKey)) {
        throw new RpcError(RpcErrorCode.INTERNAL_ERROR, 'nodes disagree on the generated key', { reason: 'inconsistent_keygen' });
      }
      const info = await this.keyInfo(keyId, nodes);
      this.pools.track(this.poolKey(info));
      return info;
    })) as Promise<NodeKeyInfo>;
  }

  private chooseParties(parties: number | readonly string[] | undefined, threshold: number): string[] {
    if (Array.isArray(parties)) {
      const unknown = parties.filter((p) => !this.nodes.operators.includes(p));
      if (unknown.length) throw new RpcError(RpcErrorCode.INVALID_PARAMS, `unknown node(s): ${unknown.join(', ')}`, { reason: 'invalid_field', field: 'parties' });
      const down = parties.filter((p) => !this.schedulable(p));
      if (down.length) throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `node(s) not reachable or excluded (dan_nodes tells why): ${down.join(', ')}`, { reason: 'quorum_unavailable' });
      return [...parties];
    }
    const count = typeof parties === 'number' ? parties : this.nodes.operators.length;
    if (count > this.nodes.operators.length) {
      throw new RpcError(RpcErrorCode.INVALID_PARAMS, `the network has ${this.nodes.operators.length} nodes, ${count} requested`, { reason: 'invalid_field', field: 'parties' });
    }
    const live = this.nodes.operators.filter((p) => this.schedulable(p));
    if (live.length < count) {
      throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `${count} nodes needed, ${live.length} reachable and not excluded`, { reason: 'quorum_unavailable', needed: count, reachable: live.length });
    }
    if (threshold > count) throw new RpcError(RpcErrorCode.INVALID_PARAMS, 'threshold exceeds the number of parties', { reason: 'invalid_field', field: 'threshold' });
    return [this.nodes.self, ...live.filter((p) => p !== this.nodes.self)].slice(0, count);
  }

  // --- sign -------------------------------------------------------------------------------

  async sign(p: DanParams<'dan_sign'>): Promise<DanResult<'dan_sign'>> {
    return this.signRequest('dan_sign', p, p.digest, (presignatureId) => [NodeMethod.sign, { presignatureId, request: p }]);
  }

  /** Sign the EIP-191 digest of the userOp hash (recomputed here and by every signer). */
  async signUserOperation(p: DanParams<'dan_signUserOperation'>): Promise<DanResult<'dan_signUserOperation'>> {
    const userOpHash = userOperationHash(p.userOperation, p.entryPoint, p.chainId);
    const sig = await this.signRequest('dan_signUserOperation', p, hashMessage({ raw: userOpHash }), (presignatureId) => [
      NodeMethod.signUserOp,
      { presignatureId, method: 'dan_signUserOperation', request: p },
    ]);
    return { userOpHash, signature: sig.signature };
  }

  /**
   * Build the userOp for the calls, have the network sign it (every signer checks the userOp
   * against the signed request), wrap the signature for Smart Sessions and submit it to the
   * bundler; optionally wait for the receipt.
   */
  async useDistributedPermission(p: DanParams<'dan_useDistributedPermission'>): Promise<DanResult<'dan_useDistributedPermission'>> {
    const ops = this.o.userOps;
    if (!ops) throw new RpcError(RpcErrorCode.INVALID_REQUEST, 'this coordinator has no chain configured', { reason: 'no_chain' });
    const key = await this.requireKey(p.keyId);
    if (key.expiresAt && Date.now() / 1000 >= key.expiresAt) throw unauthorized('key_expired', `key ${key.keyId} expired`);
    // Checked before any work with the bundler (every signer checks again).
    const content = this.authenticate('dan_useDistributedPermission', p, [key.owner, ...(key.authorizedSigners ?? [])] as Address[]);
    try {
      const calls = p.calls.map((c) => ({ to: c.to, value: BigInt(c.value ?? '0x0'), data: c.data ?? '0x' }));
      checkPolicy(parsePolicy(key.policy), { chainId: ops.chain.chainId, sender: p.account, calls });
    } catch (e) {
      throw toRpcError(e, 'refused');
    }
    return this.once(`dan_useDistributedPermission:${p.requestId}`, content, async () => {
      const { lane, release } = ops.takeLane(p.account);
      const started = performance.now();
      const timings: Record<string, number> = {};
      const since = (t: number) => performance.now() - t;
      try {
        const op = await ops.build(p, lane, timings);
        let t = performance.now();
        const userOperation = ops.json(op);
        const userOpHash = userOperationHash(userOperation, ops.chain.entryPoint, ops.chain.chainId);
        const sig = await this.signWithFailover(
          key,
          p.requestId,
          hashMessage({ raw: userOpHash }),
          (presignatureId) => [NodeMethod.signUserOp, { presignatureId, method: 'dan_useDistributedPermission', request: p, userOperation }],
          () => {},
        );
        timings.signMs = since(t);
        t = performance.now();
        const sent = await ops.submit(op, p.permissionId, sig.signature);
        timings.submitMs = since(t);
        const finish = () => {
          timings.totalMs = since(started);
          // The coordinator's own time: everything but waiting for the chain and the bundler.
          timings.ownMs = timings.totalMs - timings.chainMs - timings.estimateMs - timings.submitMs - (timings.receiptMs ?? 0);
          return Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 100) / 100]));
        };
        if (!p.waitForReceipt) {
          // Keep the lane until the userOp is included, so the next one reads the right nonce.
          ops.bundler.waitForUserOperationReceipt(sent, { timeoutMs: 120_000 }).then(release, release);
          return { userOpHash: sent, timings: finish() };
        }
        t = performance.now();
        const r = await ops.bundler.waitForUserOperationReceipt(sent, { timeoutMs: 120_000 });
        timings.receiptMs = since(t);
        release();
        return {
          userOpHash: sent,
          receipt: { success: r.success, transactionHash: r.receipt.transactionHash, blockNumber: numberToHex(r.receipt.blockNumber), actualGasUsed: numberToHex(r.actualGasUsed) },
          timings: finish(),
        };
      } catch (e) {
        release();
        if (e instanceof BundlerError) {
          throw new RpcError(RpcErrorCode.BUNDLER_ERROR, `bundler refused the userOp: ${e.message}`, { reason: 'bundler_error', aaCode: e.aaCode, bundlerCode: e.code });
        }
        throw e;
      }
    }) as Promise<DanResult<'dan_useDistributedPermission'>>;
  }

  /**
   * A signing request: key checks, then once per request id, a threshold signature on `digest`
   * gathered with failover. `nodeCall` is what each signer is asked (it checks the request itself).
   * The coordinator's own check of the user's signature runs while the request is already on its
   * way to the other signers (they check it before consuming anything): latency, not trust.
   */
  private async signRequest<M extends 'dan_sign' | 'dan_signUserOperation' | 'dan_useDistributedPermission'>(
    method: M,
    p: DanParams<M>,
    digest: Hex,
    nodeCall: (presignatureId: string) => [string, unknown],
  ): Promise<DanResult<'dan_sign'>> {
    const key = await this.requireKey(p.keyId);
    if (key.expiresAt && Date.now() / 1000 >= key.expiresAt) throw unauthorized('key_expired', `key ${key.keyId} expired`);
    const { kind, body } = authRequestFor(method, p as never);
    const allowed = [key.owner, ...(key.authorizedSigners ?? [])] as Address[];
    return this.once(`${method}:${p.requestId}`, contentDigest(kind, body as never), () =>
      this.signWithFailover(key, p.requestId, digest, nodeCall, () => void this.authenticate(method, p, allowed)),
    ) as Promise<DanResult<'dan_sign'>>;
  }

  /**
   * Sign `digest` once per request (`once` id, content `hash`) with failover; `call` is what each
   * signer is asked, and each signer checks the request in it itself.
   */
  signOnce(key: NodeKeyInfo, r: { once: string; hash: string; requestId: string; digest: Hex; call: (presignatureId: string) => [string, unknown] }): Promise<DanResult<'dan_sign'>> {
    return this.once(r.once, r.hash, () => this.signWithFailover(key, r.requestId, r.digest, r.call, () => {})) as Promise<DanResult<'dan_sign'>>;
  }

  /** Ask every party of `key` (all must answer); the cached key info is dropped (its meta may change). */
  async callParties<T>(key: NodeKeyInfo, method: string, body: unknown): Promise<T[]> {
    try {
      return await Promise.all(key.parties.map((peer) => this.nodes.call<T>(peer, method, body, this.o.timeouts.signMs)));
    } catch (e) {
      throw toRpcError(e, 'not every key party accepted the request');
    } finally {
      this.keys.delete(key.keyId);
    }
  }

  private signWithFailover(
    key: NodeKeyInfo,
    requestId: string,
    digest: Hex,
    nodeCall: (presignatureId: string) => [string, unknown],
    authenticate: () => void,
  ): Promise<DanResult<'dan_sign'>> {
    return this.online(() => this.gatherSignature(key, requestId, digest, nodeCall, authenticate));
  }

  private async gatherSignature(
    key: NodeKeyInfo,
    requestId: string,
    digest: Hex,
    nodeCall: (presignatureId: string) => [string, unknown],
    authenticate: () => void,
  ): Promise<DanResult<'dan_sign'>> {
    const poolKey = this.poolKey(key);
    this.pools.track(poolKey);
    const exclude = new Set<string>();
    const leaveOut = (peers: readonly string[]) => peers.forEach((p) => exclude.add(p));
    const log = this.o.log.child({ requestId, keyId: key.keyId });
    let lastError: unknown;
    let stale = 0; // pooled presignatures a node no longer holds (used or lost outside this coordinator)
    for (let attempt = 0; attempt < MAX_SIGN_ATTEMPTS; attempt++) {
      // After stale pool entries, presign on demand instead of trusting the pool again.
      let taken = stale > 0 ? undefined : this.pools.take(key.keyId, exclude);
      if (!taken) {
        // Presign on demand, spreading the work over every usable signer set (peers cooling down
        // after a time-out only when there is no other set).
        let sets = this.pools.preferredSets(poolKey, exclude, Infinity);
        if (sets.length === 0) sets = this.pools.preferredSets(poolKey, exclude, Infinity, (peer) => this.schedulable(peer));
        if (sets.length === 0) break;
        const signers = sets[this.nextSet++ % sets.length];
        try {
          taken = { signers, ...(await this.presign(poolKey, signers, leaveOut)) };
        } catch (e) {
          lastError = e;
          continue;
        }
      }
      const { signers, id, noncePoint, publicValues } = taken;
      const [nodeMethod, nodeBody] = nodeCall(id);
      const call = (i: number) => this.nodes.call<SignReply>(key.parties[i], nodeMethod, nodeBody, this.o.timeouts.signMs);
      // Remote signers first, then (on the first attempt) our own check, then our own node. Every
      // call gets its handlers at once (allSettled), so a failure never goes unhandled.
      const calls = new Map(signers.filter((i) => key.parties[i] !== this.nodes.self).map((i) => [i, call(i)] as const));
      const settled = Promise.allSettled(calls.values());
      if (attempt === 0) {
        // Let the calls reach the sockets before the check occupies this thread (~0.4 ms);
        // otherwise they would only leave after it.
        await new Promise((r) => setImmediate(r));
        try {
          authenticate();
        } catch (e) {
          if ((await settled).every((r) => r.status === 'rejected')) this.pools.add(key.keyId, signers, { id, noncePoint, publicValues }); // nothing consumed
          throw e;
        }
      }
      for (const i of signers) if (!calls.has(i)) calls.set(i, call(i));
      const results = await Promise.allSettled(signers.map((i) => calls.get(i)!));
      const failures = results.flatMap((r, j) => (r.status === 'rejected' ? [[key.parties[signers[j]], r.reason as unknown] as const] : []));
      if (failures.length) {
        for (const [peer, e] of failures) {
          log.warn('signer failed', { peer, error: (e as Error).message });
          if (!retryable(e)) throw toRpcError(e, 'signing refused');
          lastError = e;
          if (e instanceof DanError && e.code === 'PRESIGNATURE_UNAVAILABLE') {
            if (stale++ === 0) void this.pools.rebuild(poolKey); // resynchronise the pool with the nodes
            continue;
          }
          const named = await this.standings.report(peer, e);
          leaveOut(named.length ? named : [peer]);
        }
        continue;
      }
      const partials = results.map((r) => hexToBytes(`0x${(r as PromiseFulfilledResult<SignReply>).value.partial}`));
      try {
        const expected = { presignatureId: hexToBytes(`0x${id}`), noncePoint, signers };
        const sig = combineSignature({ publicKey: hexToBytes(key.publicKey as Hex), digest: hexToBytes(digest), partials, publicValues, expected });
        return {
          signature: bytesToHex(sig.signature),
          r: bytesToHex(sig.signature.subarray(0, 32)),
          s: bytesToHex(sig.signature.subarray(32, 64)),
          v: sig.v as 27 | 28,
        };
      } catch (e) {
        // Never return an invalid signature. A wrong partial names its signer: blame it, try others.
        lastError = e;
        const culprit = e instanceof TssError && e.party !== undefined ? key.parties[e.party] : undefined;
        log.error('partials did not combine into a valid signature', { signers, code: e instanceof TssError ? e.code : undefined, culprit, error: (e as Error).message });
        if (culprit) {
          leaveOut([culprit]);
          await this.standings.record({ peer: culprit, kind: 'blamed', by: this.nodes.self, since: Date.now(), check: (e as TssError).code, reason: (e as Error).message, protocol: 'sign', keyId: key.keyId, session: id.slice(0, 16) });
        }
      }
    }
    const usable = key.parties.filter((peer) => this.schedulable(peer) && !exclude.has(peer)).length;
    if (usable < key.threshold) {
      throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `${key.threshold} signers needed, ${usable} available (dan_nodes tells which are down or excluded)`, {
        reason: 'quorum_unavailable',
        needed: key.threshold,
        available: usable,
      });
    }
    throw toRpcError(lastError, 'signing failed');
  }

  /**
   * One presign session among `signers`: every signer must store the same presignature, and their
   * public values must be consistent, else nothing is pooled. Failures are reported (blame) and the
   * peers they name are handed to `leaveOut`.
   */
  private async presign(key: PoolKey, signers: number[], leaveOut: (peers: readonly string[]) => void = () => {}): Promise<Pooled> {
    const sessionId = bytesToHex(randomBytes(32));
    const peers = signers.map((i) => key.parties[i]);
    const replies = await this.everyNode(
      peers,
      'presigning failed',
      (peer) => this.nodes.call<PresignReply>(peer, NodeMethod.presign, { sessionId, keyId: key.keyId, signers }, this.o.timeouts.presignMs + 1000),
      leaveOut,
    );
    const id = replies[0].presignatureId;
    const noncePoint = hexBytes(replies[0].noncePoint);
    if (!noncePoint || replies.some((r) => r.presignatureId !== id || r.noncePoint !== replies[0].noncePoint)) {
      throw new DanError('PROTOCOL_ABORTED', 'signers disagree on the presignature id or its nonce point', { signers: peers });
    }
    const publicValues = new Map<number, PresignPublicValues>();
    replies.forEach((r, j) => {
      const v = publicValuesFromWire(r.publicValues);
      if (v) publicValues.set(signers[j], v);
    });
    if (publicValues.size !== signers.length || !consistent(publicValues)) {
      throw new DanError('PROTOCOL_ABORTED', "the signers' presignature public values are missing or inconsistent; not pooled", { signers: peers, check: 'CONSISTENCY_CHECK_FAILED' });
    }
    return { id, noncePoint, publicValues };
  }

  /**
   * Ask every node in `peers`; all must answer. A failure is reported to the standings (which
   * record blame) as soon as it arrives, and the peers it names are handed to `leaveOut`. After
   * the first failure the others get FAILURE_GRACE_MS to report too (a session that failed at one
   * node fails at all; a cheater need not answer at all); then the most telling failure (one that
   * names a suspect, else the first) is thrown as the RpcError the caller sees, prefixed with `what`.
   */
  private everyNode<T>(peers: readonly string[], what: string, ask: (peer: string) => Promise<T>, leaveOut: (peers: readonly string[]) => void = () => {}): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) => {
      const values: T[] = new Array(peers.length);
      const failures: unknown[] = [];
      const reports: Promise<unknown>[] = [];
      let pending = peers.length;
      let timer: NodeJS.Timeout | undefined;
      let failed = false;
      const fail = () => {
        if (failed) return;
        failed = true;
        clearTimeout(timer);
        const telling = failures.find((e) => e instanceof DanError && typeof e.context.suspect === 'string') ?? failures[0];
        void Promise.allSettled(reports).then(() => reject(toRpcError(telling, what)));
      };
      peers.forEach((peer, j) =>
        ask(peer).then(
          (v) => {
            values[j] = v;
            if (--pending === 0) (failures.length ? fail() : resolve(values));
          },
          (e: unknown) => {
            failures.push(e);
            reports.push(this.standings.report(peer, e).then(leaveOut));
            if (failures.length === 1) timer = setTimeout(fail, FAILURE_GRACE_MS);
            if (--pending === 0) fail();
          },
        ),
      );
    });
  }

  // --- refresh ----------------------------------------------------------------------------

  /** dan_refreshKey: the key's owner asks for new shares (same key and address). */
  async refreshKeyRequest(p: DanParams<'dan_refreshKey'>): Promise<DanResult<'dan_refreshKey'>> {
    const key = await this.requireKey(p.keyId);
    const content = this.authenticate('dan_refreshKey', p, [key.owner as Address]);
    return this.once(`dan_refreshKey:${p.requestId}`, content, () => this.refresh(key, { request: p })) as Promise<DanResult<'dan_refreshKey'>>;
  }

  /**
   * Refresh a key through every party (see refresh.ts); the operator path (`{ operator: true }`)
   * is for `dan-node refresh` on this node. Afterwards the key's pools start over.
   */
  async refresh(key: NodeKeyInfo, how: RefreshAuthorization): Promise<DanResult<'dan_refreshKey'>> {
    const down = key.parties.filter((p) => !this.isLive(p));
    if (down.length) throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `every party of the key must be up to refresh it; down: ${down.join(', ')}`, { reason: 'quorum_unavailable' });
    const options = {
      nodes: this.nodes,
      keyGenMs: this.o.timeouts.keyGenMs,
      callMs: Math.max(this.o.timeouts.signMs, 5000),
      report: (peer: string, e: unknown) => this.standings.report(peer, e),
      log: this.o.log.child({ component: 'refresh' }),
    };
    const { generation } = await this.online(() =>
      refreshKey(options, key.keyId, key.parties, how).catch((e: unknown) => {
        throw toRpcError(e, 'refresh failed');
      }),
    );
    this.keys.delete(key.keyId);
    this.pools.reset(key.keyId);
    return { keyId: key.keyId, publicKey: key.publicKey as Hex, address: key.address as Address, generation: `0x${generation}`, nodes: key.parties };
  }

  // --- reads ------------------------------------------------------------------------------

  async getKey(p: DanParams<'dan_getKey'>): Promise<DanResult<'dan_getKey'>> {
    const key = await this.requireKey(p.keyId);
    this.authenticate('dan_getKey', p, [key.owner, ...(key.authorizedSigners ?? [])] as Address[]);
    return this.publicKeyInfo(key);
  }

  async listKeys(p: DanParams<'dan_listKeys'>): Promise<DanResult<'dan_listKeys'>> {
    this.authenticate('dan_listKeys', p, [p.owner]);
    const found = new Map<string, NodeKeyInfo>();
    await Promise.all(
      this.nodes.operators.filter((peer) => this.isLive(peer)).map(async (peer) => {
        try {
          for (const k of await this.nodes.call<NodeKeyInfo[]>(peer, NodeMethod.listKeys, { owner: p.owner }, this.o.timeouts.signMs)) found.set(k.keyId, k);
        } catch (e) {
          this.o.log.warn('listKeys: node did not answer', { peer, error: (e as Error).message });
        }
      }),
    );
    return { keys: [...found.values()].sort((a, b) => a.createdAt - b.createdAt).map((k) => this.publicKeyInfo(k)) };
  }

  async nodeStatus(p: DanParams<'dan_nodes'>): Promise<DanResult<'dan_nodes'>> {
    this.authenticate('dan_nodes', p, undefined);
    return {
      nodes: this.nodes.operators.map((peerId) => {
        const seen = this.nodes.lastSeen(peerId);
        const connected = this.isLive(peerId);
        const standing = this.standings.standing(peerId);
        const excluded = this.standings.excluded(peerId) ? this.standings.kind(peerId) : undefined;
        return {
          peerId,
          status: excluded ?? (peerId === this.nodes.self ? 'self' : connected ? 'connected' : 'disconnected'),
          connected,
          coordinator: peerId === this.nodes.self,
          ...(seen ? { lastSeen: Math.floor(seen / 1000) } : {}),
          ...(standing.length ? { standing } : {}),
        };
      }),
    };
  }

  async presignStatus(p: DanParams<'dan_presignStatus'>): Promise<DanResult<'dan_presignStatus'>> {
    const key = await this.requireKey(p.keyId);
    this.authenticate('dan_presignStatus', p, [key.owner, ...(key.authorizedSigners ?? [])] as Address[]);
    if (!this.pools.tracked(key.keyId)) await this.pools.rebuild(this.poolKey(key));
    return { keyId: key.keyId, pools: this.pools.status(key.keyId) };
  }

  // --- helpers ----------------------------------------------------------------------------

  private isLive(peer: string): boolean {
    return peer === this.nodes.self || this.nodes.isLive(peer);
  }

  /** Live and not excluded (banned, suspended, blamed): may be put in a signer set. */
  private schedulable(peer: string): boolean {
    return this.isLive(peer) && !this.standings.excluded(peer);
  }

  /** Verify the request's signature (and the signer's rights); returns its content digest. */
  private authenticate<M extends DanMethod>(method: M, params: DanParams<M>, allowed: Address[] | undefined): Hex {
    try {
      const { signer, content } = this.o.verified.verify(method, params as never);
      if (allowed) assertSignerAllowed(signer, allowed);
      return content;
    } catch (e) {
      throw authError(e);
    }
  }

  /**
   * Run `work` once per request id: the same id with the same content gets the same answer (also
   * after a restart: answers are journalled), the same id with other content is refused. A request
   * that failed may be retried with its id.
   */
  private once(id: string, hash: string, work: () => Promise<unknown>): Promise<unknown> {
    const conflict = () => new RpcError(RpcErrorCode.REQUEST_CONFLICT, 'requestId already used for a different request', { reason: 'request_conflict' });
    const prior = this.requests.get(id);
    if (prior) return prior.hash === hash ? prior.result : Promise.reject(conflict());
    const journalId = `rpc:${id}`;
    const result = (async () => {
      const stored = await this.o.journal.getJournal(journalId);
      if (stored && stored.requestHash !== hash) throw conflict();
      if (stored?.result !== undefined) return stored.result;
      const answer = await work();
      // Journalled after the answer, off the response path: within this process the in-memory
      // map answers retries; after a crash before this write, a retry signs again (same content).
      this.o.journal
        .putJournal(journalId, { method: id.split(':')[0], requestHash: hash, createdAt: Date.now(), result: answer })
        .catch((e: Error) => this.o.log.warn('could not journal an answer', { requestId: id, error: e.message }));
      return answer;
    })();
    this.requests.set(id, { hash, result });
    result.then(
      () => setTimeout(() => this.requests.delete(id), 60_000).unref(), // the journal answers after that
      () => this.requests.delete(id),
    );
    return result;
  }

  async requireKey(keyId: string): Promise<NodeKeyInfo> {
    const key = await this.keyInfo(keyId, this.nodes.operators);
    if (!key) throw new RpcError(RpcErrorCode.UNKNOWN_KEY, `unknown key ${keyId}`, { reason: 'unknown_key', field: 'keyId' });
    return key;
  }

  private async keyInfo(keyId: string, candidates: string[]): Promise<NodeKeyInfo> {
    const cached = this.keys.get(keyId);
    if (cached) return cached;
    const order = [this.nodes.self, ...candidates.filter((p) => p !== this.nodes.self)].filter((p) => this.isLive(p));
    for (const peer of order) {
      try {
        const info = await this.nodes.call<NodeKeyInfo | null>(peer, NodeMethod.keyInfo, { keyId }, this.o.timeouts.signMs);
        if (info) {
          this.keys.set(keyId, info);
          if (!this.pools.tracked(keyId)) void this.pools.rebuild(this.poolKey(info));
          return info;
        }
      } catch (e) {
        this.o.log.debug('keyInfo: node did not answer', { peer, error: (e as Error).message });
      }
    }
    return undefined as unknown as NodeKeyInfo;
  }

  private poolKey(info: NodeKeyInfo): PoolKey {
    return { keyId: info.keyId, threshold: info.threshold, parties: info.parties };
  }

  private publicKeyInfo(k: NodeKeyInfo): KeyInfo {
    return {
      keyId: k.keyId,
      publicKey: k.publicKey as Hex,
      address: k.address as Address,
      threshold: k.threshold,
      parties: k.parties.length,
      nodes: k.parties,
      owner: k.owner as Address,
      authorizedSigners: (k.authorizedSigners ?? []) as Address[],
      expiresAt: k.expiresAt ?? 0,
      ...(k.policy ? { policy: k.policy as KeyInfo['policy'] } : {}),
      createdAt: k.createdAt,
    };
  }
}

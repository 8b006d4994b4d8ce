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
// - read methods: key metadata, node status, pool status;
// - the legacy wallet-provider operations (legacy.ts) use generateKey, signOnce and callParties.
// A repeated requestId with the same content gets the same answer; with other content it is refused.
// It holds no share by virtue of the role: its own node is just one of the parties.
import { randomBytes } from 'node:crypto';
import { bytesToHex, hashMessage, hexToBytes, numberToHex, type Address, type Hex } from 'viem';
import { AuthError, VerifiedRequests, assertSignerAllowed, authRequestFor, contentDigest, userOperationHash } from '../auth/index.ts';
import type { Logger } from '../log/logger.ts';
import { NetError } from '../net/errors.ts';
import { BundlerError } from '../chain/index.ts';
import { NodeError, NodeMethod, type KeyGenCall, type KeyGenReply, type PresignReply, type SignReply } from '../node/api.ts';
import { checkPolicy, parsePolicy } from '../node/policy.ts';
import type { KeyInfo as NodeKeyInfo } from '../node/service.ts';
import {
  RpcError,
  RpcErrorCode,
  unauthorized,
  validateParams,
  type DanMethod,
  type DanParams,
  type DanResult,
  type KeyInfo,
} from '../rpc/index.ts';
import { TssError, combineSignature } from '../tss/index.ts';
import { PresignPools, type PoolKey } from './pools.ts';
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
  log: Logger;
}

/** The part of the node store the coordinator uses to remember answered requests. */
export interface RequestJournal {
  getJournal(id: string): Promise<{ requestHash: string; result?: unknown } | undefined>;
  putJournal(id: string, entry: { method: string; requestHash: string; createdAt: number; result?: unknown }): Promise<void>;
}

/** Refill waits until no online request has run for this long. */
const IDLE_MS = 50;

const MAX_SIGN_ATTEMPTS = 3;
/** Node answers that another signer set would give too: the request itself is refused. */
const REFUSALS = new Set(['UNAUTHORIZED', 'KEY_EXPIRED', 'REQUEST_CONFLICT', 'UNKNOWN_KEY', 'POLICY_VIOLATION', 'BAD_CALL']);

/** Convert whatever a node or the network threw into an RpcError for the API caller. */
function toRpcError(e: unknown, context: string): RpcError {
  if (e instanceof RpcError) return e;
  if (e instanceof NetError) {
    if (e.code === 'TIMEOUT') return new RpcError(RpcErrorCode.TIMEOUT, `${context}: ${e.message}`, { reason: 'timeout' });
    if (e.code === 'REMOTE_ERROR') return fromNodeCode(e.remoteCode ?? '', `${context}: ${e.message}`);
    return new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `${context}: ${e.message}`, { reason: 'quorum_unavailable' });
  }
  if (e instanceof NodeError) return fromNodeCode(e.code, `${context}: ${e.message}`);
  return new RpcError(RpcErrorCode.INTERNAL_ERROR, `${context}: ${(e as Error).message}`, { reason: 'internal' });
}

function fromNodeCode(code: string, message: string): RpcError {
  switch (code) {
    case 'UNAUTHORIZED':
      return new RpcError(RpcErrorCode.UNAUTHORIZED, message, { reason: 'node_refused' });
    case 'UNKNOWN_KEY':
      return new RpcError(RpcErrorCode.UNKNOWN_KEY, message, { reason: 'unknown_key' });
    case 'KEY_EXPIRED':
      return new RpcError(RpcErrorCode.UNAUTHORIZED, message, { reason: 'key_expired' });
    case 'REQUEST_CONFLICT':
      return new RpcError(RpcErrorCode.REQUEST_CONFLICT, message, { reason: 'request_conflict' });
    case 'TIMEOUT':
      return new RpcError(RpcErrorCode.TIMEOUT, message, { reason: 'timeout' });
    case 'POLICY_VIOLATION':
      return new RpcError(RpcErrorCode.POLICY_VIOLATION, message, { reason: 'policy_violation' });
    case 'BAD_CALL':
      return new RpcError(RpcErrorCode.INVALID_PARAMS, message, { reason: 'invalid_field' });
    default:
      return new RpcError(RpcErrorCode.INTERNAL_ERROR, message, { reason: code.toLowerCase() || 'internal' });
  }
}

function authError(e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  if (e instanceof AuthError) return e.toRpcError();
  return unauthorized('bad_signature', (e as Error).message, 'auth.signature');
}

export class Coordinator {
  readonly pools: PresignPools;
  private readonly keys = new Map<string, NodeKeyInfo>();
  private readonly requests = new Map<string, { hash: string; result: Promise<unknown> }>();
  private onlineCount = 0; // DKGs and signings in flight
  private lastOnline = 0;
  private nextSet = 0; // rotates on-demand presigning over the live signer sets

  constructor(
    private readonly nodes: NodeLink,
    private readonly o: CoordinatorOptions,
  ) {
    this.pools = new PresignPools(
      {
        isLive: (peer) => this.isLive(peer),
        presign: (key, signers) => this.presign(key, signers),
        // Short time-out: a connected node that does not answer must not hold up the pools.
        listPresignatures: async (peer, keyId) =>
          (await this.nodes.call<{ presignatures: { id: string; signers: number[] }[] }>(peer, NodeMethod.presignatures, { keyId }, Math.min(o.timeouts.signMs, 2000))).presignatures,
      },
      { self: nodes.self, ...o.pool, isIdle: () => this.onlineCount === 0 && Date.now() - this.lastOnline > IDLE_MS },
      o.log.child({ component: 'pools' }),
    );
  }

  start(): void {
    this.pools.start();
  }

  stop(): void {
    this.pools.stop();
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
      let replies: KeyGenReply[];
      try {
        replies = await Promise.all(nodes.map((peer) => this.nodes.call<KeyGenReply>(peer, NodeMethod.keyGen, r.call(sessionId, nodes), this.o.timeouts.keyGenMs + 2000)));
      } catch (e) {
        throw toRpcError(e, 'key generation failed');
      }
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
      const down = parties.filter((p) => !this.isLive(p));
      if (down.length) throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `node(s) not reachable: ${down.join(', ')}`, { reason: 'quorum_unavailable' });
      return [...parties];
    }
    const count = typeof parties === 'number' ? parties : this.nodes.operators.length;
    if (count > this.nodes.operators.length) {
      throw new RpcError(RpcErrorCode.INVALID_PARAMS, `the network has ${this.nodes.operators.length} nodes, ${count} requested`, { reason: 'invalid_field', field: 'parties' });
    }
    const live = this.nodes.operators.filter((p) => this.isLive(p));
    if (live.length < count) {
      throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `${count} nodes needed, ${live.length} reachable`, { reason: 'quorum_unavailable', needed: count, reachable: live.length });
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
    const log = this.o.log.child({ requestId, keyId: key.keyId });
    let lastError: unknown;
    let stale = 0; // pooled ids a node no longer holds (used or lost outside this coordinator)
    for (let attempt = 0; attempt < MAX_SIGN_ATTEMPTS; attempt++) {
      // After stale pool entries, presign on demand instead of trusting the pool again.
      let taken = stale > 0 ? undefined : this.pools.take(key.keyId, exclude);
      if (!taken) {
        // Presign on demand, spreading the work over every live signer set.
        const sets = this.pools.preferredSets(poolKey, exclude, Infinity);
        if (sets.length === 0) break;
        const signers = sets[this.nextSet++ % sets.length];
        try {
          taken = { signers, id: await this.presign(poolKey, signers) };
        } catch (e) {
          lastError = e;
          this.noteFailure(e, exclude);
          continue;
        }
      }
      const { signers, id } = taken;
      const [nodeMethod, nodeBody] = nodeCall(id);
      const call = (i: number) => this.nodes.call<SignReply>(key.parties[i], nodeMethod, nodeBody, this.o.timeouts.signMs);
      // Remote signers first, then (on the first attempt) our own check, then our own node.
      const calls = new Map(signers.filter((i) => key.parties[i] !== this.nodes.self).map((i) => [i, call(i)] as const));
      if (attempt === 0) {
        // Let the calls reach the sockets before the check occupies this thread (~0.4 ms);
        // otherwise they would only leave after it.
        await new Promise((r) => setImmediate(r));
        try {
          authenticate();
        } catch (e) {
          const settled = await Promise.allSettled(calls.values());
          if (settled.every((r) => r.status === 'rejected')) this.pools.add(key.keyId, signers, id); // nothing consumed
          throw e;
        }
      }
      for (const i of signers) if (!calls.has(i)) calls.set(i, call(i));
      const results = await Promise.allSettled(signers.map((i) => calls.get(i)!));
      const failures = results.flatMap((r, j) => (r.status === 'rejected' ? [[key.parties[signers[j]], r.reason] as const] : []));
      if (failures.length) {
        for (const [peer, e] of failures) {
          log.warn('signer failed', { peer, error: (e as Error).message });
          if (e instanceof NodeError || (e instanceof NetError && e.code === 'REMOTE_ERROR')) {
            const code = e instanceof NodeError ? e.code : e.remoteCode;
            if (REFUSALS.has(code ?? '')) throw toRpcError(e, 'signing refused');
            if (code === 'PRESIGNATURE_UNAVAILABLE') {
              if (stale++ === 0) void this.pools.rebuild(poolKey); // resynchronise the pool with the nodes
            } else {
              exclude.add(peer);
            }
          } else {
            exclude.add(peer);
          }
          lastError = e;
        }
        continue;
      }
      try {
        const partials = results.map((r) => hexToBytes(`0x${(r as PromiseFulfilledResult<SignReply>).value.partial}`));
        const sig = combineSignature({ publicKey: hexToBytes(key.publicKey as Hex), digest: hexToBytes(digest), partials });
        return {
          signature: bytesToHex(sig.signature),
          r: bytesToHex(sig.signature.subarray(0, 32)),
          s: bytesToHex(sig.signature.subarray(32, 64)),
          v: sig.v as 27 | 28,
        };
      } catch (e) {
        // A wrong partial: some signer misbehaved. Never return an invalid signature; try other signers.
        log.error('partials did not combine into a valid signature', { signers, error: (e as Error).message, code: e instanceof TssError ? e.code : undefined });
        lastError = e;
      }
    }
    const live = key.parties.filter((peer) => this.isLive(peer) && !exclude.has(peer)).length;
    if (live < key.threshold) {
      throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `${key.threshold} signers needed, ${live} available`, { reason: 'quorum_unavailable', needed: key.threshold, available: live });
    }
    throw toRpcError(lastError, 'signing failed');
  }

  /** Leave out, for this request, the peer a network error names. */
  private noteFailure(e: unknown, exclude: Set<string>): void {
    const peer = (e as NetError).context?.peer;
    if (peer) exclude.add(peer);
  }

  /** One presign session among `signers`; resolves with the presignature id every signer stored. */
  private async presign(key: PoolKey, signers: number[]): Promise<string> {
    const sessionId = bytesToHex(randomBytes(32));
    const replies = await Promise.all(
      signers.map((i) => this.nodes.call<PresignReply>(key.parties[i], NodeMethod.presign, { sessionId, keyId: key.keyId, signers }, this.o.timeouts.presignMs + 1000)),
    );
    const id = replies[0].presignatureId;
    if (replies.some((r) => r.presignatureId !== id)) throw new Error('signers disagree on the presignature id');
    return id;
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
        return {
          peerId,
          status: peerId === this.nodes.self ? 'self' : this.nodes.isLive(peerId) ? 'connected' : 'disconnected',
          coordinator: peerId === this.nodes.self,
          ...(seen ? { lastSeen: Math.floor(seen / 1000) } : {}),
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

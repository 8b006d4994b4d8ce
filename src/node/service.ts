// What a node does when asked (the methods of src/node/api.ts): one module per method over a
// shared NodeContext (keygen.ts, pending-keys.ts, presign.ts, sign.ts, sign-derived.ts, refresh.ts, reshare.ts, ephemeral.ts, queries.ts).
// Every call is checked by its module, whoever sent it; here, before any method runs, a call from
// a banned or suspended peer is refused (PEER_BANNED).
import type { VerifiedRequests } from '../auth/index.ts';
import type { RequestChain } from '../requests/index.ts';
import { NodeError, type CallOf, type NodeApi, type NodeMethodName, type ReplyOf } from './api.ts';
import { ReshareApprovals } from './approvals.ts';
import { KeyCache, type NodeContext } from './context.ts';
import { addEphemeralKey } from './ephemeral.ts';
import { keyGen } from './keygen.ts';
import { keyGenCommit, keyGenDiscard, keyStatus } from './pending-keys.ts';
import { presign } from './presign.ts';
import { keyInfo, listKeys, peerRecords, presignatures } from './queries.ts';
import { commitRefresh, refresh, refreshState } from './refresh.ts';
import { commitReshare, derivedRecords, reshare, reshareSource, reshareState } from './reshare.ts';
import { sign } from './sign.ts';
import { signBind, signFinish } from './sign-derived.ts';

export type NodeServiceOptions = Omit<NodeContext, 'requests' | 'keys' | 'approvals'> & {
  /** Verifies request signatures for this node's network; shared with the coordinator in the same process. */
  verified: VerifiedRequests;
  /** The chain this node signs userOps for (dan_useDistributedPermission needs it). */
  chain?: RequestChain;
};

type Handlers = { [M in NodeMethodName]: (ctx: NodeContext, call: CallOf<M>, from: string) => Promise<ReplyOf<M>> | ReplyOf<M> };

const HANDLERS: Handlers = {
  'node.keyGen': keyGen,
  'node.keyGenCommit': keyGenCommit,
  'node.keyGenDiscard': keyGenDiscard,
  'node.keyStatus': keyStatus,
  'node.presign': presign,
  'node.sign': sign,
  'node.signBind': signBind,
  'node.signFinish': signFinish,
  'node.presignatures': presignatures,
  'node.keyInfo': keyInfo,
  'node.listKeys': listKeys,
  'node.addEphemeralKey': addEphemeralKey,
  'node.refresh': refresh,
  'node.commitRefresh': commitRefresh,
  'node.refreshState': refreshState,
  'node.reshare': reshare,
  'node.commitReshare': commitReshare,
  'node.reshareState': reshareState,
  'node.reshareSource': reshareSource,
  'node.derivedRecords': derivedRecords,
  'node.peerRecords': peerRecords,
};

export class NodeService {
  readonly ctx: NodeContext;

  constructor(o: NodeServiceOptions) {
    const { verified, chain, ...rest } = o;
    this.ctx = { ...rest, requests: { verified, chain }, keys: new KeyCache(o.store), approvals: new ReshareApprovals() };
    // A lifted ban marks keys as needing a refresh: their cached records are stale.
    o.guard.onLift((keys) => keys.forEach((k) => this.ctx.keys.drop(k)));
  }

  /** Dispatch a call from a peer (or, `from` = this node, from its own coordinator). */
  /** True for a method this node answers (a metrics label: other names are counted as "unknown"). */
  static answers(method: string): boolean {
    return Object.hasOwn(HANDLERS, method);
  }

  async handle(method: string, body: unknown, from: string = this.ctx.self): Promise<unknown> {
    if (from !== this.ctx.self) this.ctx.guard.assertUsable([from], `${method} from ${from}`);
    const handler = (HANDLERS as Record<string, Handlers[NodeMethodName]>)[method];
    if (!handler) throw new NodeError('BAD_CALL', `unknown method ${method}`);
    return (handler as (ctx: NodeContext, call: unknown, from: string) => unknown)(this.ctx, body, from);
  }

  /** A typed call into this node (its own coordinator). */
  call<M extends keyof NodeApi>(method: M, body: CallOf<M>): Promise<ReplyOf<M>> {
    return this.handle(method, body) as Promise<ReplyOf<M>>;
  }
}

// The confirmation step of key generation (all or nothing; the nodes' side is
// src/node/pending-keys.ts, the whole story docs/signing.md). Every party stores its DKG result
// pending and replies with an acknowledgement; a key exists for clients only once it is committed:
// - every party replied with the same key: each is sent node.keyGenCommit with all the
//   acknowledgements (parties that already hold it committed, on a retry, are left alone);
// - the DKG failed somewhere: every party that finished (also one that finishes after the failure
//   was decided) is sent node.keyGenDiscard, best effort and without waiting: it settles its
//   pending key by asking the other parties (a node that misses this settles it in its recovery).
// When the commit does not reach every party (a node died after its reply): every party holds the
// key durably, so the ones that missed the commit commit it themselves (recovery, or the next run
// of the same request). The client gets the key when at least `threshold` parties committed it —
// they can sign with it at once; with fewer it gets QUORUM_UNAVAILABLE and the same request again
// returns the key once the parties are back.
// Assumes: the replies are in party order (as everyNode returns them).
import { NodeMethod, type KeyGenReply } from '../node/api.ts';
import { RpcError, RpcErrorCode } from '../rpc/index.ts';
import { callNode, type CoordinatorContext } from './context.ts';

/** Deadline of a settling call (the node asks the other parties, up to 5 s each in parallel). */
const DISCARD_CALL_MS = 8_000;

export class KeyGenConfirmation {
  private readonly finished = new Map<string, KeyGenReply>();
  private failed = false;

  constructor(
    private readonly ctx: CoordinatorContext,
    private readonly nodes: readonly string[],
    private readonly threshold: number,
  ) {}

  /** One party's keyGen call: its reply is remembered; one that arrives after the run failed is settled at once. */
  track(peer: string, reply: Promise<KeyGenReply>): Promise<KeyGenReply> {
    return reply.then((r) => {
      this.finished.set(peer, r);
      if (this.failed) this.discard([[peer, r]]);
      return r;
    });
  }

  /** The DKG did not finish everywhere (or the parties disagree): every party that finished settles its pending key. */
  abandon(): void {
    this.failed = true;
    this.discard([...this.finished]);
  }

  /**
   * Every party replied with the same key: commit it everywhere. Returns the parties that hold it
   * committed; QUORUM_UNAVAILABLE when fewer than the threshold do.
   */
  async commit(replies: KeyGenReply[]): Promise<string[]> {
    const { ctx, nodes } = this;
    const { keyId } = replies[0];
    const pending = nodes.filter((_, i) => replies[i].session !== undefined);
    if (pending.length === 0) return [...nodes]; // committed everywhere already (the same request again)
    const session = replies.find((r) => r.session !== undefined)!.session!;
    if (replies.some((r) => r.session !== undefined && r.session !== session)) {
      this.abandon();
      throw new RpcError(RpcErrorCode.INTERNAL_ERROR, 'nodes hold the key from different DKG runs', { reason: 'inconsistent_keygen' });
    }
    let acks: Record<string, string> = Object.fromEntries(nodes.flatMap((peer, i) => (replies[i].ack ? [[peer, replies[i].ack!]] : [])));
    if (pending.length < nodes.length) {
      // Some parties committed it already: their record holds every party's acknowledgement.
      const info = await ctx.keys.find(keyId, nodes.filter((p) => !pending.includes(p)));
      acks = { ...info?.keyGenAcks, ...acks };
    }
    const callMs = Math.max(ctx.o.timeouts.signMs, 5000);
    const results = await Promise.allSettled(pending.map((peer) => callNode(ctx, peer, NodeMethod.keyGenCommit, { keyId, sessionId: session, acks }, callMs)));
    results.forEach((r, i) => {
      if (r.status === 'rejected') ctx.log.warn('a party did not confirm the key; it commits it in its recovery', { keyId, peer: pending[i], error: (r.reason as Error).message });
    });
    const committed = nodes.filter((p) => !pending.includes(p) || results[pending.indexOf(p)].status === 'fulfilled');
    if (committed.length < this.threshold) {
      throw new RpcError(
        RpcErrorCode.QUORUM_UNAVAILABLE,
        `key ${keyId} was generated at every party but only ${committed.length} confirmed it (${this.threshold} needed to sign); the others complete it when they are back: send the same request again`,
        { reason: 'quorum_unavailable', needed: this.threshold, available: committed.length, keyId },
      );
    }
    ctx.log.info('keyGen confirmed', { keyId, parties: nodes.length, committed: committed.length });
    return committed;
  }

  private discard(finished: [string, KeyGenReply][]): void {
    for (const [peer, r] of finished) {
      if (r.session === undefined) continue; // committed there before this run: nothing pending
      callNode(this.ctx, peer, NodeMethod.keyGenDiscard, { keyId: r.keyId, sessionId: r.session }, DISCARD_CALL_MS).then(
        ({ outcome }) => this.ctx.log.info('failed keyGen: pending key settled', { keyId: r.keyId, peer, outcome }),
        (e: Error) => this.ctx.log.warn('failed keyGen: a party could not settle its pending key now (its recovery will)', { keyId: r.keyId, peer, error: e.message }),
      );
    }
  }
}

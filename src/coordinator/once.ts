// Idempotency: a request runs at most once per request id (also across restarts: answers are
// journalled); the same id with other content is REQUEST_CONFLICT. Every caller's own
// authorization is checked before it gets any answer — a fresh one, one shared with a concurrent
// identical request, or one read from the journal — so a replayed request with a stranger's, an
// expired or a garbage signature gets nothing.
import { RpcError, RpcErrorCode } from '../rpc/errors.ts';
import type { Logger } from '../log/logger.ts';

/** The part of the node store the coordinator uses to remember answered requests. */
export interface RequestJournal {
  getJournal(id: string): Promise<{ requestHash: string; result?: unknown } | undefined>;
  putJournal(id: string, entry: { method: string; requestHash: string; createdAt: number; result?: unknown }): Promise<void>;
}

/** How long an answer stays in memory (the journal answers after that). */
const MEMORY_MS = 60_000;

export class RequestOnce {
  private readonly running = new Map<string, { hash: string; result: Promise<unknown> }>();

  constructor(
    private readonly journal: RequestJournal,
    private readonly log: Logger,
  ) {}

  /**
   * Run `work` once for `id` with content `hash`. `authorize` (this caller's own check, throwing
   * when its authorization is not valid now) runs before any answer is returned; `work` may call
   * it earlier (the check is memoised).
   */
  run<T>(id: string, hash: string, authorize: () => void, work: () => Promise<T>): Promise<T> {
    const answer = <R>(result: Promise<R>) =>
      result.then((r) => {
        authorize();
        return r;
      });
    const prior = this.running.get(id);
    if (prior) return prior.hash === hash ? answer(prior.result as Promise<T>) : Promise.reject(conflict());
    const journalId = `rpc:${id}`;
    const result = (async () => {
      const stored = await this.journal.getJournal(journalId);
      if (stored && stored.requestHash !== hash) throw conflict();
      if (stored?.result !== undefined) return stored.result as T;
      const done = await work();
      // Journalled after the answer, off the response path: within this process the in-memory
      // map answers retries; after a crash before this write, a retry runs again (and every node
      // still signs at most one digest per request id).
      this.journal
        .putJournal(journalId, { method: id.split(':')[0], requestHash: hash, createdAt: Date.now(), result: done })
        .catch((e: Error) => this.log.warn('could not journal an answer', { error: e.message }));
      return done;
    })();
    this.running.set(id, { hash, result });
    result.then(
      () => setTimeout(() => this.running.delete(id), MEMORY_MS).unref(),
      () => this.running.delete(id),
    );
    return answer(result);
  }
}

function conflict(): RpcError {
  return new RpcError(RpcErrorCode.REQUEST_CONFLICT, 'requestId already used for a different request', { reason: 'request_conflict' });
}

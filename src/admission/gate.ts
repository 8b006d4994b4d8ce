// Admission control for expensive work (DKG, refresh, signing): at most `concurrency` jobs run at
// once; the others wait in a bounded queue, served in arrival order within a lane (a key) and
// round-robin across lanes, so that one busy key cannot starve the others. A job is refused at
// once with BUSY — never left to time out — when the queue or its lane is full, or when the wait
// it would face (jobs ahead x the recent mean duration / concurrency) exceeds `maxWaitMs`; a job
// that still waits at `deadlineMs` (the estimate was badly wrong) is refused then. Every refusal
// carries `retryAfterMs`, the expected time until a slot frees. With `budgetMs`, every job gets
// an AbortSignal that fires that long after the job arrived (waiting included): the job's own
// deadline, for it to stop starting new work and answer.
// Assumes: jobs settle (their own deadlines bound them); the gate never cancels a running job.
import { DanError } from '../errors/index.ts';

export interface GateOptions {
  /** What the gate admits, for messages and metrics ('keyGen', 'sign', ...). */
  name: string;
  concurrency: number;
  /** Jobs waiting, over all lanes; 0 refuses whenever every slot is taken. */
  maxQueue: number;
  /** Jobs waiting in one lane (default: maxQueue). */
  maxQueuePerLane?: number;
  /** A job is admitted only when its expected wait is at most this. */
  maxWaitMs: number;
  /** A queued job still waiting this long is refused (default 2 x maxWaitMs: the estimate was wrong). */
  deadlineMs?: number;
  /** Duration assumed for a job before any has finished. */
  initialEstimateMs: number;
  /** Time from a job's arrival to its answer: the signal handed to the job fires then. */
  budgetMs?: number;
}

/** A job: `deadline` fires when the job's budget (GateOptions.budgetMs) has run out, never without one. */
export type Job<T> = (deadline: AbortSignal) => Promise<T>;

interface Waiting {
  start(): void;
  timer: NodeJS.Timeout;
}

/** Weight of the newest duration in the running mean. */
const SMOOTHING = 0.2;
const MIN_RETRY_MS = 50;

export class Gate {
  private active = 0;
  private waiting = 0;
  private readonly lanes = new Map<string, Waiting[]>();
  private meanMs: number;
  /** Jobs refused since start (metrics). */
  refused = 0;

  constructor(private readonly o: GateOptions) {
    this.meanMs = o.initialEstimateMs;
  }

  private get deadlineMs(): number {
    return this.o.deadlineMs ?? 2 * this.o.maxWaitMs;
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting;
  }

  /**
   * The BUSY error a job arriving now in `lane` would get (counted as a refusal), or undefined when
   * it would run or wait: for callers that have slower work to do before `run` and would rather
   * refuse first.
   */
  refusal(lane = ''): DanError | undefined {
    if (this.active < this.o.concurrency && this.waiting === 0) return undefined;
    const queued = this.lanes.get(lane)?.length ?? 0;
    const waitMs = this.expectedWaitMs(this.waiting + 1);
    if (this.waiting >= this.o.maxQueue) return this.busy(`${this.waiting} ${this.o.name} requests already waiting`);
    if (queued >= (this.o.maxQueuePerLane ?? this.o.maxQueue)) return this.busy(`${queued} ${this.o.name} requests for this key already waiting`);
    if (waitMs > this.o.maxWaitMs) return this.busy(`the wait would be ~${Math.round(waitMs)} ms, over the ${this.o.maxWaitMs} ms limit`);
    return undefined;
  }

  /**
   * Run `job` when admitted; rejects with BUSY when it is not. `arrivedAt` (performance.now() of
   * the request's arrival, default now) starts the job's budget.
   */
  run<T>(job: Job<T>, lane = '', arrivedAt = performance.now()): Promise<T> {
    const refused = this.refusal(lane);
    if (refused) return Promise.reject(refused);
    if (this.active < this.o.concurrency && this.waiting === 0) return this.start(job, this.deadline(arrivedAt));
    const queue = this.lanes.get(lane) ?? [];
    const deadline = this.deadline(arrivedAt);
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting = {
        start: () => this.start(job, deadline).then(resolve, reject),
        timer: setTimeout(() => {
          clearTimeout(deadline.timer);
          this.remove(lane, entry);
          reject(this.busy(`waited ${this.deadlineMs} ms without a free slot`));
        }, this.deadlineMs),
      };
      queue.push(entry);
      this.lanes.set(lane, queue);
      this.waiting++;
    });
  }

  /**
   * The signal of a job that arrived at `arrivedAt`: aborted `budgetMs` after that with a BUSY
   * error as its reason (for the job to throw), or never. The timer ends with the job.
   */
  private deadline(arrivedAt: number): AbortController & { timer?: NodeJS.Timeout } {
    const c: AbortController & { timer?: NodeJS.Timeout } = new AbortController();
    const budget = this.o.budgetMs;
    if (budget !== undefined) {
      c.timer = setTimeout(() => {
        const retryAfterMs = this.retryAfterMs();
        c.abort(new DanError('BUSY', `busy: no ${this.o.name} answer within ${budget} ms under the current load; retry in ~${retryAfterMs} ms`, { what: this.o.name, retryAfterMs, running: this.active, queued: this.waiting }));
      }, Math.max(0, arrivedAt + budget - performance.now()));
    }
    return c;
  }

  private start<T>(job: Job<T>, deadline: AbortController & { timer?: NodeJS.Timeout }): Promise<T> {
    this.active++;
    const started = performance.now();
    let result: Promise<T>;
    try {
      result = job(deadline.signal);
    } catch (e) {
      result = Promise.reject(e);
    }
    const done = () => {
      clearTimeout(deadline.timer);
      this.meanMs += SMOOTHING * (performance.now() - started - this.meanMs);
      this.active--;
      this.next();
    };
    result.then(done, done);
    return result;
  }

  /** Start the head of the next non-empty lane after the last one served (round-robin). */
  private next(): void {
    while (this.active < this.o.concurrency && this.waiting > 0) {
      const [lane, queue] = this.lanes.entries().next().value as [string, Waiting[]];
      const entry = queue.shift()!;
      this.lanes.delete(lane);
      if (queue.length > 0) this.lanes.set(lane, queue); // to the back of the rotation
      this.waiting--;
      clearTimeout(entry.timer);
      entry.start();
    }
  }

  private remove(lane: string, entry: Waiting): void {
    const queue = this.lanes.get(lane);
    const at = queue?.indexOf(entry) ?? -1;
    if (!queue || at < 0) return;
    queue.splice(at, 1);
    if (queue.length === 0) this.lanes.delete(lane);
    this.waiting--;
  }

  /** When the queue will have drained below the wait limit, and at least until one slot frees. */
  private retryAfterMs(): number {
    return Math.ceil(Math.max(MIN_RETRY_MS, this.expectedWaitMs(this.waiting + 1) - this.o.maxWaitMs, this.meanMs / this.o.concurrency));
  }

  /** Expected wait of a job with `ahead` jobs in front of it (itself included) once all slots are busy. */
  private expectedWaitMs(ahead: number): number {
    return (ahead * this.meanMs) / this.o.concurrency;
  }

  private busy(why: string): DanError {
    this.refused++;
    const retryAfterMs = this.retryAfterMs();
    return new DanError('BUSY', `busy: ${why}; retry in ~${retryAfterMs} ms`, { what: this.o.name, retryAfterMs, running: this.active, queued: this.waiting });
  }
}

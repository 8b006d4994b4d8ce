// The admission gate: bounded concurrency, a bounded queue served in arrival order per lane and
// round-robin across lanes, fast BUSY refusals with a retry hint, and the wait deadline.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Gate } from '../../src/admission/index.ts';
import { DanError } from '../../src/errors/index.ts';

/** A job that finishes when `release()` is called; records when it started. */
function job(started: string[], name: string) {
  let release!: () => void;
  const done = new Promise<string>((r) => (release = () => r(name)));
  return { run: () => (started.push(name), done), release: () => release() };
}
const busy = (e: unknown) => e instanceof DanError && e.code === 'BUSY' && typeof e.context.retryAfterMs === 'number' && e.context.retryAfterMs > 0;
const tick = () => new Promise((r) => setImmediate(r));

describe('admission gate', () => {
  it('runs at most `concurrency` jobs; the others start in arrival order as slots free', async () => {
    const gate = new Gate({ name: 'test', concurrency: 2, maxQueue: 10, maxWaitMs: 10_000, initialEstimateMs: 1 });
    const started: string[] = [];
    const jobs = ['a', 'b', 'c', 'd'].map((n) => job(started, n));
    const results = jobs.map((j) => gate.run(j.run));
    await tick();
    assert.deepEqual(started, ['a', 'b']);
    assert.equal(gate.queued, 2);
    jobs[1].release();
    await tick();
    assert.deepEqual(started, ['a', 'b', 'c']);
    for (const j of jobs) j.release();
    assert.deepEqual(await Promise.all(results), ['a', 'b', 'c', 'd']);
    assert.equal(gate.running, 0);
  });

  it('serves lanes round-robin: a flood on one key does not starve another', async () => {
    const gate = new Gate({ name: 'test', concurrency: 1, maxQueue: 10, maxWaitMs: 10_000, initialEstimateMs: 1 });
    const started: string[] = [];
    const first = job(started, 'x0');
    const all = [gate.run(first.run, 'x')];
    const queued = ['x1', 'x2', 'x3', 'y1'].map((n) => job(started, n));
    queued.forEach((j, i) => all.push(gate.run(j.run, i < 3 ? 'x' : 'y')));
    first.release();
    for (const j of queued) {
      await tick();
      j.release();
    }
    await Promise.all(all);
    assert.deepEqual(started, ['x0', 'x1', 'y1', 'x2', 'x3'], 'y1 runs right after the first queued x, not after all of them');
  });

  it('refuses at once when the queue or its lane is full', async () => {
    const gate = new Gate({ name: 'test', concurrency: 1, maxQueue: 2, maxQueuePerLane: 1, maxWaitMs: 10_000, initialEstimateMs: 1 });
    const started: string[] = [];
    const [hold, q1, q3] = ['hold', 'q1', 'q3'].map((n) => job(started, n));
    const admitted = [gate.run(hold.run), gate.run(q1.run, 'k')];
    await assert.rejects(gate.run(job(started, 'q2').run, 'k'), busy, 'the lane holds one');
    admitted.push(gate.run(q3.run, 'other'));
    await assert.rejects(gate.run(job(started, 'q4').run, 'third'), busy, 'the queue holds two');
    assert.equal(gate.refused, 2);
    for (const j of [hold, q1, q3]) j.release();
    assert.deepEqual(await Promise.all(admitted), ['hold', 'q1', 'q3']);
    assert.deepEqual(started, ['hold', 'q1', 'q3'], 'the refused jobs never ran');
  });

  it('refuses at once a job whose expected wait exceeds the limit (from the measured durations)', async () => {
    const gate = new Gate({ name: 'test', concurrency: 1, maxQueue: 100, maxWaitMs: 1_000, initialEstimateMs: 400 });
    const started: string[] = [];
    const hold = job(started, 'hold');
    void gate.run(hold.run);
    const admitted = [gate.run(job(started, 'w1').run), gate.run(job(started, 'w2').run)]; // 400 and 800 ms expected
    const t0 = performance.now();
    await assert.rejects(gate.run(job(started, 'w3').run), (e) => busy(e) && /over the 1000 ms limit/.test((e as Error).message));
    assert.ok(performance.now() - t0 < 100, 'refused without waiting');
    hold.release();
    await tick();
    for (const p of admitted) p.catch(() => {});
    gate.run(async () => 'drain').catch(() => {});
  });

  it('refuses a job still waiting at the deadline, and counts a job that throws synchronously as done', async () => {
    const gate = new Gate({ name: 'test', concurrency: 1, maxQueue: 10, maxWaitMs: 25, deadlineMs: 50, initialEstimateMs: 1 });
    const started: string[] = [];
    const hold = job(started, 'hold');
    const running = gate.run(hold.run);
    await assert.rejects(gate.run(job(started, 'late').run), (e) => busy(e) && /waited 50 ms/.test((e as Error).message));
    assert.equal(gate.queued, 0);
    hold.release();
    await running;
    await assert.rejects(gate.run(() => { throw new Error('sync'); }), /sync/);
    assert.equal(gate.running, 0, 'the slot of a throwing job is freed');
    assert.equal(await gate.run(async () => 'after'), 'after');
  });

  it('hands each job a deadline signal that fires budgetMs after the job arrived, waiting included', async () => {
    const gate = new Gate({ name: 'test', concurrency: 1, maxQueue: 10, maxWaitMs: 1_000, initialEstimateMs: 1, budgetMs: 30 });
    const started: string[] = [];
    const hold = job(started, 'hold');
    const first = gate.run(hold.run);
    let abortedAtStart: boolean | undefined;
    // Queued behind `hold` past its budget: when it starts, its signal has already fired.
    const second = gate.run(async (deadline) => {
      abortedAtStart = deadline.aborted;
      deadline.throwIfAborted();
      return 'ran';
    });
    setTimeout(() => hold.release(), 60);
    await first;
    await assert.rejects(second, (e) => busy(e) && /no test answer within 30 ms/.test((e as Error).message));
    assert.equal(abortedAtStart, true);
    // A job admitted at once has its whole budget; without a budget the signal never fires.
    assert.equal(await gate.run(async (deadline) => deadline.aborted), false);
    const unbounded = new Gate({ name: 'test', concurrency: 1, maxQueue: 10, maxWaitMs: 1_000, initialEstimateMs: 1 });
    assert.equal(await unbounded.run(async (deadline) => new Promise((r) => setTimeout(() => r(deadline.aborted), 50))), false);
  });

  it('refusal() tells what run() would decide now, and counts the refusal', async () => {
    const gate = new Gate({ name: 'test', concurrency: 1, maxQueue: 1, maxWaitMs: 10_000, initialEstimateMs: 1 });
    const started: string[] = [];
    assert.equal(gate.refusal(), undefined, 'a slot is free');
    const hold = job(started, 'hold');
    const running = gate.run(hold.run);
    assert.equal(gate.refusal(), undefined, 'room in the queue');
    const queued = gate.run(job(started, 'queued').run);
    const refused = gate.refusal();
    assert.ok(busy(refused) && /1 test requests already waiting/.test(refused!.message));
    assert.equal(gate.refused, 1);
    await assert.rejects(gate.run(job(started, 'third').run), busy);
    assert.equal(gate.refused, 2);
    hold.release();
    await running;
    queued.catch(() => {});
  });

  it("a job's budget runs from the arrival it is given, not from the call to run()", async () => {
    const gate = new Gate({ name: 'test', concurrency: 1, maxQueue: 10, maxWaitMs: 1_000, initialEstimateMs: 1, budgetMs: 500 });
    const aborted = await gate.run(async (deadline) => {
      await new Promise((r) => setTimeout(r, 20));
      return deadline.aborted;
    }, '', performance.now() - 1_000);
    assert.equal(aborted, true, 'arrived 1 s ago with a 500 ms budget: already out of time');
  });
});

// The coordinator's side of a refresh (src/coordinator/refresh.ts) against scripted nodes: a run
// commits only with every party's acknowledgement of one generation; a commit cut short (some
// parties switched, the others hold the generation pending) is finished on the next run with the
// acknowledgements the switched parties kept, without a new protocol run; parties that disagree
// are not switched.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DanError } from '../../src/errors/index.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { NodeMethod, type RefreshStateReply } from '../../src/node/api.ts';
import { refreshKey, type RefreshLink } from '../../src/coordinator/refresh.ts';

const PARTIES = ['a', 'b', 'c'];
const G0 = '00'.repeat(32);
const G1 = '11'.repeat(32);

/** Nodes that answer from a table of states; records every call. */
function nodes(states: Record<string, RefreshStateReply>, refresh: (peer: string) => { generation: string; ack: string } | Error = (peer) => ({ generation: G1, ack: `ack-${peer}` })) {
  const calls: { peer: string; method: string; body: any }[] = [];
  const link: RefreshLink = {
    async call<T>(peer: string, method: string, body: unknown): Promise<T> {
      calls.push({ peer, method, body });
      if (method === NodeMethod.refreshState) return states[peer] as T;
      if (method === NodeMethod.refresh) {
        const r = refresh(peer);
        if (r instanceof Error) throw r;
        return { keyId: 'k', ...r } as T;
      }
      if (method === NodeMethod.commitRefresh) return { keyId: 'k', generation: (body as { generation: string }).generation } as T;
      throw new Error(`unexpected ${method}`);
    },
  };
  return { link, calls };
}

const options = (link: RefreshLink, reported: unknown[] = []) => ({ nodes: link, keyGenMs: 1000, callMs: 1000, report: async (_p: string, e: unknown) => void reported.push(e), log: silentLogger });

describe('coordinator refresh', () => {
  it('runs the protocol on every party, then commits with all acknowledgements', async () => {
    const { link, calls } = nodes(Object.fromEntries(PARTIES.map((p) => [p, { keyId: 'k', generation: G0 }])));
    const r = await refreshKey(options(link), 'k', PARTIES, { operator: true });
    assert.deepEqual(r, { generation: G1, resumed: false });
    const commits = calls.filter((c) => c.method === NodeMethod.commitRefresh);
    assert.deepEqual(commits.map((c) => c.peer), PARTIES);
    for (const c of commits) assert.deepEqual(c.body.acks, { a: 'ack-a', b: 'ack-b', c: 'ack-c' });
  });

  it('finishes a commit cut short instead of starting over', async () => {
    const acks = { a: 'x', b: 'y', c: 'z' };
    const { link, calls } = nodes({ a: { keyId: 'k', generation: G1, acks }, b: { keyId: 'k', generation: G0, pending: G1 }, c: { keyId: 'k', generation: G1, acks } });
    const r = await refreshKey(options(link), 'k', PARTIES, { operator: true });
    assert.deepEqual(r, { generation: G1, resumed: true });
    assert.equal(calls.filter((c) => c.method === NodeMethod.refresh).length, 0, 'no new protocol run');
    assert.ok(calls.some((c) => c.method === NodeMethod.commitRefresh && c.peer === 'b' && c.body.generation === G1 && c.body.acks === acks));
  });

  it('commits nothing when a party fails or the parties end with different generations', async () => {
    const same = Object.fromEntries(PARTIES.map((p) => [p, { keyId: 'k', generation: G0 }]));
    const failing = nodes(same, (peer) => (peer === 'c' ? new DanError('PROTOCOL_ABORTED', 'aborted', { suspect: 'b' }) : { generation: G1, ack: 'a' }));
    const reported: unknown[] = [];
    await assert.rejects(refreshKey(options(failing.link, reported), 'k', PARTIES, { operator: true }), (e: unknown) => e instanceof DanError && e.code === 'PROTOCOL_ABORTED');
    assert.equal(reported.length, 1, 'the failure was reported (blame)');
    assert.equal(failing.calls.filter((c) => c.method === NodeMethod.commitRefresh).length, 0);
    const split = nodes(same, (peer) => ({ generation: peer === 'a' ? G1 : '22'.repeat(32), ack: 'a' }));
    await assert.rejects(refreshKey(options(split.link), 'k', PARTIES, { operator: true }), (e: unknown) => e instanceof DanError && e.code === 'REFRESH_MISMATCH');
    assert.equal(split.calls.filter((c) => c.method === NodeMethod.commitRefresh).length, 0);
  });

  it('refuses when the parties hold different generations that no commit can reconcile', async () => {
    const { link } = nodes({ a: { keyId: 'k', generation: G0 }, b: { keyId: 'k', generation: G1 }, c: { keyId: 'k', generation: G0 } });
    await assert.rejects(refreshKey(options(link), 'k', PARTIES, { operator: true }), (e: unknown) => e instanceof DanError && e.code === 'REFRESH_MISMATCH');
  });
});

// `dan-node bans list|show|lift`: what a node holds against peers (bans with their evidence,
// suspensions, blames) and lifting them. Talks to the running node through HOME/admin.sock; with
// the node stopped, opens its store directly (which needs the operator secret).
import { resolve } from 'node:path';
import { adminRequest } from '../daemon/admin.ts';
import type { PeerRecord } from '../store/index.ts';
import { UsageError, parseOptions, type Command } from './args.ts';
import { withNode } from './local-node.ts';

const usage = `Usage: dan-node bans list --home DIR [--json]
       dan-node bans show PEER --home DIR
       dan-node bans lift PEER --home DIR

What this node holds against other nodes:
  banned     a check whose failure may leak this node's secrets failed on the peer's message
             (SoftSpoken, RVOLE, the two Gamma checks, the PPRF proof): the node does no protocol
             work with the peer, whoever asks; the evidence is the offending message
  suspended  the peer aborted more than bans.maxAbortsPerHour sessions in an hour: same effect
  blamed     (coordinator nodes) a node reported a deviation by the peer, or a partial signature
             of the peer did not verify: the coordinator no longer schedules it

Commands:
  list         one line per record
  show PEER    every record on PEER as JSON, with the evidence (SHA-256, size, hex copy)
  lift PEER    remove every record on PEER. A lifted ban does not make the correlations the peer
               probed safe again: each key shared with it is marked for a refresh, and this node
               refuses presigning with PEER on those keys until the key is refreshed
               (dan_refreshKey by its owner, or dan-node refresh on a coordinator node)

Works while the node runs (through DIR/admin.sock) or is stopped (then it opens the store, which
needs DAN_NODE_SECRET or the configured secret file).
Options:
  --home DIR   the node's folder (required)
  --json       list: print JSON
  -h, --help   show this help`;

function line(r: PeerRecord): string {
  const when = new Date(r.since).toISOString();
  return [r.peer, r.kind.padEnd(9), r.check.padEnd(24), when, r.kind === 'blamed' ? `by ${r.by}` : '', r.keyId ?? '', r.reason].filter(Boolean).join('  ');
}

export const bansCommand: Command = {
  name: 'bans',
  usage,
  async run(argv) {
    const [action, ...rest] = argv;
    if (!action || action === '--help' || action === '-h') {
      console.log(usage);
      return action ? 0 : 2;
    }
    const { values, positionals } = parseOptions(rest, { home: { type: 'string' }, json: { type: 'boolean' } }, true);
    if (values.help) {
      console.log(usage);
      return 0;
    }
    if (!values.home) throw new UsageError('--home is required');
    const home = resolve(values.home);
    if (positionals.length > 1) throw new UsageError(`one peer at a time (got ${positionals.join(' ')})`);
    const peer = positionals[0];
    if (action === 'list') {
      if (peer) throw new UsageError(`list takes no peer (got ${peer})`);
      const { result: records, via } = await withNode(
        home,
        async () => (await adminRequest<{ records: PeerRecord[] }>(home, 'GET', '/peers')).body.records,
        (store) => store.listPeerRecords(),
      );
      if (values.json) console.log(JSON.stringify({ records, via }, null, 2));
      else if (records.length === 0) console.log(`no bans, suspensions or blames (${via === 'node' ? 'running node' : 'stopped node, from its store'})`);
      else for (const r of records) console.log(line(r));
      return 0;
    }
    if (action !== 'show' && action !== 'lift') throw new UsageError(`unknown action "${action}" (list, show or lift)`);
    if (!peer) throw new UsageError(`${action} needs the peer id`);
    if (action === 'show') {
      const { result: records } = await withNode(
        home,
        async () => (await adminRequest<{ records: PeerRecord[] }>(home, 'GET', '/peers')).body.records,
        (store) => store.listPeerRecords(),
      );
      const mine = records.filter((r) => r.peer === peer);
      if (mine.length === 0) {
        console.error(`no record on ${peer}`);
        return 1;
      }
      console.log(JSON.stringify(mine, null, 2));
      return 0;
    }
    const { result, via } = await withNode(
      home,
      async () => {
        const r = await adminRequest<{ lifted: PeerRecord[]; keys: string[]; error?: { message: string } }>(home, 'POST', '/peers/lift', { peer });
        if (r.status !== 200) throw new Error(r.body.error?.message ?? `the node answered ${r.status}`);
        return r.body;
      },
      (store) => store.liftPeerRecord(peer),
    );
    if (result.lifted.length === 0) {
      console.error(`no record on ${peer}`);
      return 1;
    }
    console.log(`lifted ${result.lifted.map((r) => r.kind).join(', ')} on ${peer}${via === 'store' ? ' (in the stopped node\'s store)' : ''}`);
    if (result.keys.length) console.log(`${result.keys.length} key(s) need a refresh before this node presigns with ${peer} again: ${result.keys.join(', ')}`);
    return 0;
  },
};

// `dan-node master create|list`: an operator creates the master key that keyGen derives session
// keys from (docs/derived-keys.md), through the running coordinator node's control socket.
import { resolve } from 'node:path';
import { adminRequest } from '../daemon/admin.ts';
import { UsageError, intOption, parseOptions, type Command } from './args.ts';

const usage = `Usage: dan-node master create --home DIR --threshold T [--parties PEER,PEER,...]
       dan-node master list --home DIR

Master keys make keyGen instant: a key is derived from the master key of its signer group
(threshold and nodes) with a tweak bound to its owner, with no DKG and no share of its own, and
signs from the master's one presignature pool. A quorum of the master's nodes can sign for every
key derived from it, as it can for every key it holds (docs/derived-keys.md). Owners who want a
key of their own ask keyGen for isolated: true.

Commands:
  create   run a DKG for a new master key among --parties (default: every node of the network;
           every one must be up). keyGen requests for that threshold and those nodes derive from
           the newest such master from now on. Takes a few seconds.
  list     the master keys this coordinator derives from

Run it on a running coordinator node: it talks to DIR/admin.sock.

Options:
  --home DIR         the coordinator node's folder (required)
  --threshold T      signers needed (create; required)
  --parties LIST     comma-separated peer ids of the master's nodes (create; default: all)
  --json             print JSON
  -h, --help         show this help`;

export const masterCommand: Command = {
  name: 'master',
  usage,
  async run(argv) {
    const { values, positionals } = parseOptions(argv, { home: { type: 'string' }, threshold: { type: 'string' }, parties: { type: 'string' }, json: { type: 'boolean' } }, true);
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const [sub, ...rest] = positionals;
    if (sub !== 'create' && sub !== 'list') throw new UsageError(sub ? `unknown command: master ${sub}` : 'master needs a command: create or list');
    if (rest.length) throw new UsageError(`unexpected argument: ${rest[0]}`);
    if (!values.home) throw new UsageError('--home is required');
    const home = resolve(values.home);
    const started = performance.now();
    if (sub === 'create' && !values.threshold) throw new UsageError('--threshold is required');
    const body = sub === 'create' ? { threshold: intOption(values.threshold, 'threshold', 0, 2), ...(values.parties ? { parties: values.parties.split(',').map((p) => p.trim()).filter(Boolean) } : {}) } : undefined;
    if (sub === 'create') console.error(`creating a ${body!.threshold}-of-${body!.parties?.length ?? 'all'} master key (a DKG among the nodes)...`);
    let reply;
    try {
      reply = await adminRequest<{ masters?: unknown[]; error?: { code: string; message: string } } & Record<string, unknown>>(home, sub === 'create' ? 'POST' : 'GET', '/masters', body);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT' || code === 'ECONNREFUSED') throw new UsageError(`no running node at ${home} (start it first)`);
      throw e;
    }
    if (reply.status !== 200) {
      console.error(`dan-node master ${sub}: [${reply.body.error?.code}] ${reply.body.error?.message}`);
      return 1;
    }
    if (sub === 'create') {
      console.log(JSON.stringify({ ...reply.body, ms: Math.round(performance.now() - started) }, null, 2));
      return 0;
    }
    const masters = (reply.body.masters ?? []) as { keyId: string; threshold: number; nodes: string[]; publicKey: string; createdAt: number }[];
    if (values.json) console.log(JSON.stringify(masters, null, 2));
    else if (masters.length === 0) console.log('no master keys: keyGen runs a DKG per key (dan-node master create makes it instant)');
    else for (const m of masters) console.log(`${m.keyId}  ${m.threshold}-of-${m.nodes.length}  ${m.publicKey}  created ${new Date(m.createdAt * 1000).toISOString()}`);
    return 0;
  },
};

// `dan-node refresh --home DIR --key KEYID`: an operator refreshes a key through the network (new
// shares and OT correlations at every party, same public key and address), through the running
// coordinator node's control socket.
import { resolve } from 'node:path';
import { adminRequest } from '../daemon/admin.ts';
import { UsageError, parseOptions, type Command } from './args.ts';

const usage = `Usage: dan-node refresh --home DIR --key KEYID

Refreshes KEYID as an operator: every party runs the refresh protocol (new shares, new OT and
zero-share seeds; the public key and address stay), acknowledges the new generation, and then all
switch to it, invalidating every presignature of the old one. Needed after a ban is lifted (the
node refuses presigning with that peer on the key until then), and wise after any suspected leak.
Owners can ask for the same with dan_refreshKey.

Run it on a running coordinator node: it talks to DIR/admin.sock. Every party of the key must be
up. A node accepts an operator refresh of a key at most once every 30 s. An interrupted refresh
leaves the old generation in use (or half switched); running the command again finishes it.

Options:
  --home DIR   the coordinator node's folder (required)
  --key KEYID  the key to refresh (required)
  -h, --help   show this help`;

export const refreshCommand: Command = {
  name: 'refresh',
  usage,
  async run(argv) {
    const { values } = parseOptions(argv, { home: { type: 'string' }, key: { type: 'string' } });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    if (!values.home) throw new UsageError('--home is required');
    if (!values.key) throw new UsageError('--key is required');
    const home = resolve(values.home);
    const started = performance.now();
    let reply;
    try {
      reply = await adminRequest<{ generation?: string; error?: { code: string; message: string } }>(home, 'POST', '/refresh', { keyId: values.key });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT' || code === 'ECONNREFUSED') throw new UsageError(`no running node at ${home} (start it first: the refresh runs through the network)`);
      throw e;
    }
    if (reply.status !== 200) {
      console.error(`dan-node refresh: [${reply.body.error?.code}] ${reply.body.error?.message}`);
      return 1;
    }
    console.log(JSON.stringify({ ...reply.body, ms: Math.round(performance.now() - started) }, null, 2));
    return 0;
  },
};

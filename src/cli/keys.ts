// `dan-node keys list|approve|approvals|revoke|reshare|add|remove|replace|threshold`: an operator
// changes which nodes hold the keys, and how many must sign, without changing a key or an address
// (docs/reshare.md). Every command talks to the running node's control socket (HOME/admin.sock).
// The membership commands work on every key this node holds a share of (or --keys), one key at a
// time, through this node's coordinator; each node taking part must have approved the same change
// on its own control socket first (`keys approve`).
import { resolve } from 'node:path';
import { adminRequest } from '../daemon/admin.ts';
import { changeTarget, sameMembership, type MembershipChange } from '../node/approvals.ts';
import { UsageError, intOption, parseOptions, type Command } from './args.ts';

const usage = `Usage: dan-node keys list --home DIR [--json]
       dan-node keys add --home DIR --node PEER [--threshold T] [--keys K,...]
       dan-node keys remove --home DIR --node PEER [--threshold T] [--keys K,...]
       dan-node keys replace --home DIR --node PEER --with PEER [--keys K,...]
       dan-node keys threshold --home DIR --threshold T [--keys K,...]
       dan-node keys reshare --home DIR --parties PEER,... --threshold T [--keys K,...]
       dan-node keys approve <add|remove|replace|threshold|reshare> --home DIR [the same options] [--ttl SECONDS]
       dan-node keys approvals --home DIR
       dan-node keys revoke --home DIR

Reshares move a key (an isolated key or a master key, with every key derived from it) to another
set of nodes or another threshold: the same public key and address, new shares for the new
nodes, the old shares useless. Signing goes on while a reshare runs; the switch is atomic and
agreed by every new node. A node that is removed deletes its share; a lost node is replaced
by the survivors (at least the key's threshold of them must be up).

Commands:
  list        the keys this node holds a share of (isolated and master keys)
  add         add node PEER to every key (threshold unchanged unless --threshold)
  remove      take node PEER out of every key (threshold lowered only if it must be, or --threshold)
  replace     put node PEER's place in every key in the hands of node --with (a lost or retired node)
  threshold   change the threshold of every key
  reshare     move every key to exactly --parties (in that order) and --threshold
  approve     approve a change on this node: every node that takes part (deals, receives or
              leaves) refuses a reshare its own operator has not approved. Run it on each node
              (a new node too) before the change, with the same options. Expires (--ttl, default
              3600 s; at most a day) and is forgotten when the node restarts.
  approvals   this node's live approvals
  revoke      withdraw every approval of this node

add, remove, replace, threshold and reshare run on a coordinator node, on each key in turn, with a
line of progress per key and a summary; a key the change does not apply to is skipped with the
reason. A key whose reshare failed keeps its old nodes and threshold: run the command again (an
interrupted switch is finished, keys already moved are left alone). Every node of the new set
must be listed in "operators" of every node's config (see node/README.md, "Changing the nodes").

Options:
  --home DIR        this node's folder (required)
  --node PEER       the node to add, remove or replace (a peer id)
  --with PEER       the replacing node (replace)
  --parties LIST    comma-separated peer ids of the new set, in order (reshare)
  --threshold T     signers needed afterwards
  --keys LIST       comma-separated key ids (default: every key this node holds)
  --ttl SECONDS     how long an approval lasts (approve; default 3600)
  --json            print JSON
  -h, --help        show this help`;

const CHANGES = ['add', 'remove', 'replace', 'threshold', 'reshare'] as const;
type ChangeKind = (typeof CHANGES)[number];

interface HeldKey {
  keyId: string;
  publicKey: string;
  threshold: number;
  parties: string[];
  /** The share generation in use (hex). */
  generation?: string;
  master?: true;
}

type Values = Record<string, string | boolean | undefined>;

export const keysCommand: Command = {
  name: 'keys',
  usage,
  async run(argv) {
    const { values, positionals } = parseOptions(
      argv,
      { home: { type: 'string' }, node: { type: 'string' }, with: { type: 'string' }, parties: { type: 'string' }, threshold: { type: 'string' }, keys: { type: 'string' }, ttl: { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const [sub, ...rest] = positionals;
    if (!values.home) throw new UsageError('--home is required');
    const home = resolve(values.home);
    switch (sub) {
      case 'list':
        return list(home, values);
      case 'approvals':
        return show(await admin(home, 'GET', '/reshare/approvals'), 'approvals');
      case 'revoke':
        return show(await admin(home, 'POST', '/reshare/revoke', {}), 'revoke');
      case 'approve': {
        const [kind, ...more] = rest;
        if (!CHANGES.includes(kind as ChangeKind)) throw new UsageError(`approve needs a change: ${CHANGES.join(', ')}`);
        if (more.length) throw new UsageError(`unexpected argument: ${more[0]}`);
        const change = changeOf(kind as ChangeKind, values);
        const ttlSeconds = intOption(values.ttl as string | undefined, 'ttl', 3600);
        return show(await admin(home, 'POST', '/reshare/approve', { change, ttlSeconds, ...keysOption(values) }), 'approve');
      }
      default:
        if (!CHANGES.includes(sub as ChangeKind)) throw new UsageError(sub ? `unknown command: keys ${sub}` : `keys needs a command: list, ${CHANGES.join(', ')}, approve, approvals or revoke`);
        if (rest.length) throw new UsageError(`unexpected argument: ${rest[0]}`);
        return reshareAll(home, changeOf(sub as ChangeKind, values), values);
    }
  },
};

function changeOf(kind: ChangeKind, v: Values): MembershipChange {
  const need = (name: string) => {
    if (typeof v[name] !== 'string' || !v[name]) throw new UsageError(`--${name} is required for ${kind}`);
    return v[name] as string;
  };
  const threshold = v.threshold === undefined ? undefined : intOption(v.threshold as string, 'threshold', 0, 2);
  switch (kind) {
    case 'add':
    case 'remove':
      return { kind, node: need('node'), ...(threshold ? { threshold } : {}) };
    case 'replace':
      return { kind, node: need('node'), with: need('with') };
    case 'threshold':
      need('threshold');
      return { kind, threshold: threshold! };
    case 'reshare':
      need('threshold');
      return { kind, parties: need('parties').split(',').map((p) => p.trim()).filter(Boolean), threshold: threshold! };
  }
}

function keysOption(v: Values): { keys?: string[] } {
  return typeof v.keys === 'string' ? { keys: v.keys.split(',').map((k) => k.trim()).filter(Boolean) } : {};
}

async function list(home: string, v: Values): Promise<number> {
  const reply = await admin(home, 'GET', '/keys');
  if (reply.status !== 200) return failed('list', reply.body);
  const keys = reply.body.keys as HeldKey[];
  if (v.json) console.log(JSON.stringify(keys, null, 2));
  else if (keys.length === 0) console.log('this node holds no share of any key');
  else for (const k of keys) console.log(`${k.keyId}  ${k.master ? 'master  ' : 'isolated'}  ${k.threshold}-of-${k.parties.length}  generation ${String(k.generation ?? '-').slice(0, 16)}  [${k.parties.join(', ')}]`);
  return 0;
}

async function reshareAll(home: string, change: MembershipChange, v: Values): Promise<number> {
  const listed = await admin(home, 'GET', '/keys');
  if (listed.status !== 200) return failed(change.kind, listed.body);
  const only = keysOption(v).keys;
  const keys = (listed.body.keys as HeldKey[]).filter((k) => !only || only.includes(k.keyId));
  const missing = only?.filter((id) => !keys.some((k) => k.keyId === id)) ?? [];
  if (missing.length) throw new UsageError(`this node holds no share of: ${missing.join(', ')}`);
  const summary = { moved: 0, unchanged: 0, skipped: 0, failed: 0 };
  const results: unknown[] = [];
  console.error(`${change.kind}: ${keys.length} key(s)`);
  for (const [i, key] of keys.entries()) {
    const progress = `[${i + 1}/${keys.length}] ${key.keyId}`;
    const target = changeTarget(key, change);
    if (typeof target === 'string' || sameMembership(target, key)) {
      summary.skipped++;
      console.error(`${progress}: skipped (${typeof target === 'string' ? target : 'already there'})`);
      results.push({ keyId: key.keyId, outcome: 'skipped' });
      continue;
    }
    const started = performance.now();
    const reply = await admin(home, 'POST', '/reshare', { keyId: key.keyId, ...target });
    const ms = Math.round(performance.now() - started);
    if (reply.status !== 200) {
      summary.failed++;
      const error = reply.body.error as { code?: string; message?: string; data?: { suspect?: string; check?: string; ban?: boolean } } | undefined;
      const culprit = error?.data?.suspect ? ` (named: ${error.data.suspect}, ${error.data.check}${error.data.ban ? ', banned' : ''})` : '';
      console.error(`${progress}: FAILED [${error?.code}] ${error?.message}${culprit}`);
      results.push({ keyId: key.keyId, outcome: 'failed', error });
      continue;
    }
    const how = reply.body.how as string;
    summary[how === 'unchanged' ? 'unchanged' : 'moved']++;
    const notLeft = (reply.body.notLeft as string[] | undefined) ?? [];
    console.error(`${progress}: ${key.threshold}-of-${key.parties.length} -> ${target.threshold}-of-${target.parties.length} (${how}, ${ms} ms)${notLeft.length ? `; not told to delete its share (down): ${notLeft.join(', ')}` : ''}`);
    results.push({ ...reply.body, outcome: how });
  }
  console.error(`done: ${summary.moved} moved, ${summary.unchanged} already there, ${summary.skipped} skipped, ${summary.failed} failed`);
  if (v.json) console.log(JSON.stringify({ summary, keys: results }, null, 2));
  return summary.failed ? 1 : 0;
}

async function admin(home: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  try {
    return await adminRequest<Record<string, unknown>>(home, method, path, body);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED') throw new UsageError(`no running node at ${home} (start it first)`);
    throw e;
  }
}

function show(reply: { status: number; body: Record<string, unknown> }, what: string): number {
  if (reply.status !== 200) return failed(what, reply.body);
  console.log(JSON.stringify(reply.body, null, 2));
  return 0;
}

function failed(what: string, body: Record<string, unknown>): number {
  const error = body.error as { code?: string; message?: string } | undefined;
  console.error(`dan-node keys ${what}: [${error?.code}] ${error?.message}`);
  return 1;
}

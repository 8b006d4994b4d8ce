// Helpers of the misbehaving-node tests: clusters with one byzantine node (the harness in
// ./harness, loaded with --import into that node's process only), and what the tests read back:
// the coordinator's dan_nodes and /metrics, a node's log (aborted sessions, bans), the harness log
// (what it tampered with), and `dan-node bans` run as an operator would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keccak256, recoverAddress, toHex, type Hex } from 'viem';
import type { DanClient, NodeInfo } from '../../src/client/index.ts';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import type { Behaviour } from './harness/tamper.ts';

const HARNESS = fileURLToPath(new URL('./harness/index.mjs', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/dan-node.js', import.meta.url));

export interface ByzantineOptions {
  nodes: number;
  threshold: number;
  /** The misbehaving node (its index). */
  byzantine: number;
  behaviour: Behaviour;
  target?: number;
  skipSessions?: number;
  /** Behave until ordered { misbehave: true }. */
  startHonest?: boolean;
  /** Config sections merged into every node's config. */
  config?: Record<string, Record<string, unknown>>;
}

export async function startByzantineCluster(o: ByzantineOptions): Promise<Cluster> {
  return startCluster({
    nodes: o.nodes,
    threshold: o.threshold,
    nodeConfig: () => o.config ?? {},
    nodeProcess: (i, peers) =>
      i === o.byzantine
        ? {
            execArgv: ['--import', HARNESS],
            env: {
              DAN_BYZANTINE: JSON.stringify({
                behaviour: o.behaviour,
                ...(o.skipSessions ? { skipSessions: o.skipSessions } : {}),
                ...(o.startHonest ? { startHonest: true } : {}),
                ...(o.target !== undefined ? { target: peers[o.target] } : {}),
              }),
            },
          }
        : {},
  });
}

/** Every line of a JSON-lines file (missing file: none). */
export function jsonLines(path: string): any[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** What the harness of node i tampered with (and its drive results). */
export const harnessLog = (cluster: Cluster, i: number) => jsonLines(join(cluster.nodes[i].home, 'byzantine.jsonl'));

/** Sessions node i aborted blaming `suspect` (its log's 'session aborted' lines). */
export function abortsAt(cluster: Cluster, i: number, suspect: string): any[] {
  return jsonLines(cluster.nodes[i].log).filter((l) => l.message === 'session aborted' && l.suspect === suspect);
}

/** Give node i's harness an order (written atomically). */
export function order(cluster: Cluster, i: number, command: object): void {
  const path = join(cluster.nodes[i].home, 'byzantine-command.json');
  writeFileSync(`${path}.tmp`, JSON.stringify(command));
  renameSync(`${path}.tmp`, path);
}

/** Poll `check` until it returns a value (not undefined/false) or the time is up. */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The coordinator's view of node i. */
export async function nodeInfo(client: DanClient, peerId: string): Promise<NodeInfo> {
  const { nodes } = await client.nodes();
  const info = nodes.find((n) => n.peerId === peerId);
  assert.ok(info, `dan_nodes lists ${peerId}`);
  return info;
}

/** Sign `count` digests through the coordinator; every signature must recover to the key's address. */
export async function signAll(client: DanClient, keyId: string, address: Hex, count: number, tag: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const digest = keccak256(toHex(`${tag} ${i} ${Math.random()}`));
    const sig = await client.sign({ keyId, digest });
    assert.equal(await recoverAddress({ hash: digest, signature: sig.signature }), address, `${tag} ${i} verifies`);
  }
}

/** Run `dan-node <args>` as an operator would; returns its exit code and output. */
export function cli(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The coordinator's (node 0's) /metrics text, from its ops endpoint. */
export async function metrics(cluster: Cluster): Promise<string> {
  return (await fetch(`${cluster.nodes[0].opsUrl}/metrics`)).text();
}

/** Stop every node (SIGTERM; unless they are stopped already), start them all again, wait until they are connected. */
export async function restartAll(cluster: Cluster, client: DanClient, stop = true): Promise<void> {
  if (stop) await Promise.all(cluster.nodes.map((_, i) => cluster.kill(i, 'SIGTERM')));
  for (let i = 0; i < cluster.nodes.length; i++) await cluster.restart(i);
  await until('every node connected', async () => {
    try {
      return (await client.nodes()).nodes.every((n) => n.connected);
    } catch {
      return false;
    }
  });
}

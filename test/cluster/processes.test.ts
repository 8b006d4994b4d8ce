// Process hygiene, the way developers and process managers run the devnet: `npm start` stopped by
// SIGTERM, or left behind by a parent that was killed, stops every process it started (nothing
// left running, every port free, devnet.json removed); a node that dies is reported and restarted
// with backoff (or only reported with --no-restart); a devnet.json left by a killed devnet is
// detected and replaced, and a second devnet on the same folder is refused while one runs.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../../src/devchain/process.ts';
import { freeRange } from '../helpers/cluster.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'dan-node.js');

interface Run {
  child: ChildProcess;
  out: () => string;
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  exited: Promise<number | null>;
}

/** `npm start -- ARGS` (or `dan-node devnet ARGS` with `direct`), a 2-node devnet without chain. */
async function devnet(home: string, extra: string[] = [], direct = false): Promise<Run> {
  const base = await freeRange(8);
  const args = ['--no-chain', '--no-master-key', '--nodes', '2', '--home', home, '--rpc-port', String(base), '--p2p-port', String(base + 2), '--ops-port', String(base + 5), ...extra];
  const child = direct ? spawn(process.execPath, [BIN, 'devnet', ...args], { cwd: ROOT }) : spawn('npm', ['start', '--', ...args], { cwd: ROOT });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    out: () => text,
    exited,
    async waitFor(pattern, ms = 60_000) {
      const deadline = Date.now() + ms;
      while (!pattern.test(text)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${ms} ms; output:\n${text}`);
        if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before ${pattern}; output:\n${text}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

interface Info {
  pid: number;
  rpcUrl: string;
  nodes: { pid: number; opsUrl: string }[];
}
const info = (home: string) => JSON.parse(readFileSync(join(home, 'devnet.json'), 'utf8')) as Info;

async function gone(pids: number[], ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) throw new Error(`still running: ${pids.filter(isAlive).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}

describe('devnet processes', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dan-processes-'));
  const started: Run[] = [];
  after(async () => {
    for (const r of started) r.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM to npm start stops the devnet and every node; devnet.json is removed', async () => {
    const home = join(dir, 'term');
    const run = await devnet(home);
    started.push(run);
    await run.waitFor(/^ready$/m);
    const { pid, rpcUrl, nodes } = info(home);
    assert.notEqual(pid, run.child.pid, 'npm runs the devnet as a child');
    assert.ok([pid, ...nodes.map((n) => n.pid)].every(isAlive));
    run.child.kill('SIGTERM'); // to npm only, as a process manager does
    await gone([run.child.pid!, pid, ...nodes.map((n) => n.pid)]);
    assert.match(run.out(), /SIGTERM: stopping 2 nodes/);
    assert.equal(existsSync(join(home, 'devnet.json')), false);
    for (const url of [`${rpcUrl}/healthz`, ...nodes.map((n) => `${n.opsUrl}/livez`)]) assert.ok(await refused(url), `${url} is closed`);
  });

  it('a node that dies is reported and restarted; with --no-restart only reported', async () => {
    const home = join(dir, 'restart');
    const run = await devnet(home, [], true);
    started.push(run);
    await run.waitFor(/^ready$/m);
    const before = info(home).nodes[1];
    process.kill(before.pid, 'SIGKILL');
    await run.waitFor(/^node 1 exited \(signal SIGKILL; see .*stderr\.log\); restarting in 1 s$/m);
    await run.waitFor(/^node 1 restarted$/m);
    const again = /^node 1 started \(pid (\d+)\)$/gm;
    const pids = [...run.out().matchAll(again)].map((m) => Number(m[1]));
    assert.equal(pids.length, 2, 'started twice');
    assert.ok(isAlive(pids[1]) && pids[1] !== before.pid);
    assert.equal((await fetch(`${before.opsUrl}/livez`)).status, 200, 'the restarted node serves again');
    // dan-node health --ready answers 0 once the restarted node is connected again.
    let health = spawnSync(process.execPath, [BIN, 'health', '--ready', '--home', join(home, 'node-1')], { encoding: 'utf8' });
    for (let i = 0; i < 20 && health.status !== 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      health = spawnSync(process.execPath, [BIN, 'health', '--ready', '--home', join(home, 'node-1')], { encoding: 'utf8' });
    }
    assert.equal(health.status, 0, health.stdout + health.stderr);
    assert.match(health.stdout, /\/readyz: 200 \{"status":"ready","peersConnected":1,"peersConfigured":1\}/);
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 0);
    await gone(pids);

    const once = await devnet(join(dir, 'no-restart'), ['--no-restart'], true);
    started.push(once);
    await once.waitFor(/^ready$/m);
    process.kill(info(join(dir, 'no-restart')).nodes[0].pid, 'SIGTERM');
    await once.waitFor(/^node 0 exited \(code 0; see .*\); not restarting \(--no-restart\)$/m);
    await new Promise((r) => setTimeout(r, 1500));
    assert.doesNotMatch(once.out(), /node 0 restarted/);
    once.child.kill('SIGTERM');
    await once.exited;
  });

  it('a devnet whose parent was killed stops by itself; its devnet.json is then stale and replaced', async () => {
    const home = join(dir, 'orphan');
    const run = await devnet(home);
    started.push(run);
    await run.waitFor(/^ready$/m);
    const { pid, nodes } = info(home);
    // A second devnet on the same folder is refused while this one runs.
    const second = await devnet(home, [], true);
    assert.equal(await second.exited, 2);
    assert.match(second.out(), new RegExp(`a devnet already runs from ${home} \\(pid ${pid}\\)`));

    run.child.kill('SIGKILL'); // npm dies without passing anything on
    await gone([pid, ...nodes.map((n) => n.pid)]);
    assert.match(run.out(), /parent process exited: stopping 2 nodes/);

    // Killed outright, a devnet leaves its devnet.json: the next start says so and replaces it.
    const killed = await devnet(home, [], true);
    started.push(killed);
    await killed.waitFor(/^ready$/m);
    const k = info(home);
    process.kill(k.pid, 'SIGKILL');
    await gone([k.pid, ...k.nodes.map((n) => n.pid)]); // the nodes follow their parent (IPC channel closed)
    assert.equal(existsSync(join(home, 'devnet.json')), true);
    const next = await devnet(home, [], true);
    started.push(next);
    await next.waitFor(/^ready$/m);
    assert.match(next.out(), /devnet\.json was left by a devnet that no longer runs: replacing it/);
    next.child.kill('SIGTERM');
    assert.equal(await next.exited, 0);
  });
});

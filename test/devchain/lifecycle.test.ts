// Lifecycle of the chain stack's processes: when the process that started it is SIGKILLed (no
// chance to clean up), anvil and alto end by themselves (watchdog / preload notice the closed IPC
// channel); stop() ends both and frees the ports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startDevChain } from '../../src/devchain/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/start-chain.ts', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(alive);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

describe('devchain process lifecycle', { timeout: 120_000 }, () => {
  it('anvil and alto die when the parent is SIGKILLed', async () => {
    const home = mkdtempSync(join(tmpdir(), 'dan-devchain-orphan-'));
    const parent = spawn(process.execPath, ['--import', 'tsx', '--import', './src/polyfill.ts', FIXTURE, home, String(await freePort()), String(await freePort())], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: parent.stdout! }).once('line', resolve);
        parent.once('exit', (code) => reject(new Error(`fixture exited with ${code}`)));
      });
      const pids = JSON.parse(line) as { anvil: number; bundler: number };
      assert.ok(alive(pids.anvil) && alive(pids.bundler));
      parent.kill('SIGKILL');
      const left = await waitGone([pids.anvil, pids.bundler], 5000);
      assert.deepEqual(left, [], `still running after the parent died: ${left.join(', ')}`);
    } finally {
      parent.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('stop() ends anvil and alto and frees the ports', async () => {
    const home = mkdtempSync(join(tmpdir(), 'dan-devchain-stop-'));
    const [anvilPort, bundlerPort] = [await freePort(), await freePort()];
    const chain = await startDevChain({ home, anvilPort, bundlerPort, progress: () => {} });
    try {
      const pids = [chain.processes.anvil.pid!, chain.processes.bundler.pid!];
      assert.ok(pids.every(alive));
      const t0 = Date.now();
      await chain.stop();
      console.log(`# stop() took ${Date.now() - t0} ms`);
      assert.deepEqual(pids.filter(alive), []);
      assert.equal(await portFree(anvilPort), true);
      assert.equal(await portFree(bundlerPort), true);
      await chain.stop(); // idempotent
    } finally {
      await chain.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a busy port is reported before anything starts', async () => {
    const home = mkdtempSync(join(tmpdir(), 'dan-devchain-busy-'));
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    try {
      await assert.rejects(startDevChain({ home, anvilPort: port, bundlerPort: await freePort(), progress: () => {} }), (e: Error & { code?: string }) => e.name === 'DevChainError' && e.code === 'START_FAILED' && /not free/.test(e.message));
    } finally {
      blocker.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

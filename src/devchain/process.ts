// Child processes of the chain stack: spawn with an IPC channel (children, or their watchdog,
// exit when it closes, so nothing outlives the devnet), output appended to a log file, early-exit
// detection while waiting for readiness, and a stop that escalates SIGTERM -> SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { DevChainError } from './errors.ts';

export interface Supervised {
  child: ChildProcess;
  /** pid of the real program (the watchdog's child for native programs, else the node process). */
  pid(): number | undefined;
  log: string;
  /** Resolves once the process exited (immediately if it already has). */
  exited(): Promise<void>;
  stop(timeoutMs?: number): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  log: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Through watchdog.cjs: the child reports the real program's pid over IPC. */
  watchdog?: boolean;
}

/** Spawn `command` with stdout+stderr appended to `log` and an IPC channel to this process. */
export function spawnSupervised(o: SpawnOptions): Supervised {
  const fd = openSync(o.log, 'a');
  let child: ChildProcess;
  try {
    child = spawn(o.command, o.args, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', fd, fd, 'ipc'] });
  } finally {
    closeSync(fd);
  }
  let programPid = o.watchdog ? undefined : child.pid;
  child.on('message', (m: { event?: string; pid?: number }) => {
    if (m?.event === 'spawned' && typeof m.pid === 'number') programPid = m.pid;
  });
  child.on('error', () => {}); // reported through 'exit' / the readiness wait
  // Do not keep the parent's event loop alive just for the IPC channel.
  child.channel?.unref();
  const exitedPromise = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    child,
    pid: () => programPid,
    log: o.log,
    exited: () => exitedPromise,
    async stop(timeoutMs = 5000) {
      if (child.exitCode === null && child.signalCode === null) {
        const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.kill('SIGTERM');
        await exitedPromise;
        clearTimeout(kill);
      }
      // The watchdog normally takes its child with it; make sure if it was SIGKILLed.
      if (o.watchdog && programPid !== undefined && isAlive(programPid)) {
        try {
          process.kill(programPid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The last lines of a log file, for error messages. */
export function logTail(path: string, lines = 15): string {
  if (!existsSync(path)) return '';
  const text = readFileSync(path, 'utf8');
  return text.split('\n').slice(-lines - 1).join('\n').trim();
}

/**
 * Poll `probe` until it returns a value, the process exits (START_FAILED with the log tail), or
 * `timeoutMs` passes (START_FAILED).
 */
export async function waitUntilReady<T>(p: Supervised, name: string, probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      const tail = logTail(p.log);
      throw new DevChainError('START_FAILED', `${name} exited (${p.child.exitCode ?? p.child.signalCode}) while starting; ${p.log}:\n${tail}`, { log: p.log });
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not answering yet
    }
    if (Date.now() > deadline) {
      throw new DevChainError('START_FAILED', `${name} did not become ready within ${Math.round(timeoutMs / 1000)} s; see ${p.log}:\n${logTail(p.log)}`, { log: p.log });
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** One JSON-RPC call over HTTP; throws RPC_ERROR with the server's message on failure. */
export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = [], timeoutMs = 10_000): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: T; error?: { code: number; message: string; data?: unknown } };
  if (body.error) {
    throw new DevChainError('RPC_ERROR', `${method} failed at ${url}: ${body.error.message}${body.error.data ? ` (${JSON.stringify(body.error.data)})` : ''}`);
  }
  return body.result as T;
}

/** Fail fast (START_FAILED) when something already listens on 127.0.0.1:port. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  const { createServer } = await import('node:net');
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new DevChainError('START_FAILED', `${what} port 127.0.0.1:${port} is not free (${e.code ?? e.message}); is another devnet running?`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

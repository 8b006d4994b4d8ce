// The ERC-4337 bundler: @pimlico/alto 0.0.20 run with node and loopback-preload.cjs, which binds
// its HTTP server to 127.0.0.1 (alto hard-codes 0.0.0.0) and ends it when the devnet goes away.
// Flags (the ones alto 0.0.20 needs): --entrypoints, --executor-private-keys, --utility-private-key (alto deploys
// its simulation contracts with it), --rpc-url, --port, --safe-mode false (anvil has no tracer
// alto accepts). Ready when eth_supportedEntryPoints lists the EntryPoint. Output: HOME/alto.log
// (JSON lines).
import { join } from 'node:path';
import type { Address, Hex } from 'viem';
import { DevChainError } from './errors.ts';
import { altoCli, helperFile } from './paths.ts';
import { assertPortFree, rpc, spawnSupervised, waitUntilReady } from './process.ts';

export interface BundlerOptions {
  /** Folder for alto.log (also alto's working directory, so no stray .env is read). */
  home: string;
  port: number;
  rpcUrl: string;
  entryPoint: Address;
  executorKeys: Hex[];
  utilityKey: Hex;
  /** Extra alto flags, e.g. ['--log-level', 'debug']. */
  args?: string[];
  timeoutMs?: number;
}

export interface Bundler {
  url: string;
  pid: number | undefined;
  log: string;
  stop(): Promise<void>;
}

export async function startBundler(o: BundlerOptions): Promise<Bundler> {
  const url = `http://127.0.0.1:${o.port}`;
  const log = join(o.home, 'alto.log');
  const args = [
    '--require', helperFile('loopback-preload.cjs'),
    altoCli(),
    '--entrypoints', o.entryPoint,
    '--executor-private-keys', o.executorKeys.join(','),
    '--utility-private-key', o.utilityKey,
    '--rpc-url', o.rpcUrl,
    '--port', String(o.port),
    '--safe-mode', 'false',
    // anvil mines at once: poll quickly instead of assuming 1 s blocks
    '--block-time', '100',
    // the devnet sends many userOps from one account (sequential nonces on one key)
    '--mempool-max-queued-ops', '64',
    '--mempool-max-parallel-ops', '64',
    '--log-level', 'info',
    // JSON lines: alto's pretty printer always writes ANSI colours, even into a file
    '--json',
    // every chain call at info level would flood alto.log
    '--public-client-log-level', 'warn',
    '--wallet-client-log-level', 'warn',
    ...(o.args ?? []),
  ];
  await assertPortFree(o.port, 'bundler');
  const env: NodeJS.ProcessEnv = { ...process.env, DAN_LOOPBACK_HOST: '127.0.0.1' };
  delete env.NODE_OPTIONS; // the parent's loaders (tsx) are not for alto
  const p = spawnSupervised({ name: 'alto', command: process.execPath, args, log, cwd: o.home, env });
  try {
    await waitUntilReady(
      p,
      'alto',
      async () => {
        const eps = await rpc<string[]>(url, 'eth_supportedEntryPoints', [], 1000);
        return eps.some((e) => e.toLowerCase() === o.entryPoint.toLowerCase()) ? eps : undefined;
      },
      o.timeoutMs ?? 30_000,
      50,
    );
  } catch (e) {
    await p.stop();
    throw e instanceof DevChainError ? e : new DevChainError('START_FAILED', `alto did not start: ${String(e)}`, { log, cause: e });
  }
  return { url, pid: p.pid(), log, stop: () => p.stop() };
}

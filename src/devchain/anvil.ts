// anvil, the local EVM node: spawned through watchdog.cjs (so it dies with the devnet), bound to
// 127.0.0.1, fresh state on every start (nothing persisted), ready once eth_chainId answers with
// the expected chain id. Its output goes to HOME/anvil.log.
import { join } from 'node:path';
import { DevChainError } from './errors.ts';
import { anvilBinary, helperFile } from './paths.ts';
import { assertPortFree, rpc, spawnSupervised, waitUntilReady } from './process.ts';

export interface AnvilOptions {
  /** Folder for anvil.log. */
  home: string;
  port: number;
  chainId: number;
  /** EVM hardfork (default prague). */
  hardfork?: string;
  /** Extra command-line arguments. */
  args?: string[];
  timeoutMs?: number;
}

export interface Anvil {
  rpcUrl: string;
  /** pid of the anvil process itself. */
  pid: number | undefined;
  log: string;
  stop(): Promise<void>;
}

/** The mnemonic-derived dev accounts anvil funds at start (10 000 ETH each). */
export const ANVIL_DEV_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
] as const;

/** Start anvil and wait until it answers. */
export async function startAnvil(o: AnvilOptions): Promise<Anvil> {
  return (await launchAnvil(o)).ready;
}

/**
 * Check the port and spawn anvil; resolves as soon as the process is spawned, so the caller can do
 * other work (compiling) while anvil boots. `ready` resolves when it answers with the right chain id
 * (on failure the process is stopped and `ready` rejects with START_FAILED).
 */
export async function launchAnvil(o: AnvilOptions): Promise<{ ready: Promise<Anvil>; stop(): Promise<void> }> {
  const rpcUrl = `http://127.0.0.1:${o.port}`;
  const log = join(o.home, 'anvil.log');
  const args = [
    '--host', '127.0.0.1',
    '--port', String(o.port),
    '--chain-id', String(o.chainId),
    '--hardfork', o.hardfork ?? 'prague',
    '--accounts', String(ANVIL_DEV_KEYS.length),
    ...(o.args ?? []),
  ];
  await assertPortFree(o.port, 'anvil');
  const p = spawnSupervised({ name: 'anvil', command: process.execPath, args: [helperFile('watchdog.cjs'), anvilBinary(), ...args], log, watchdog: true });
  const ready = (async (): Promise<Anvil> => {
    try {
      await waitUntilReady(p, 'anvil', async () => Number(await rpc<string>(rpcUrl, 'eth_chainId', [], 1000)), o.timeoutMs ?? 15_000);
      const id = Number(await rpc<string>(rpcUrl, 'eth_chainId'));
      if (id !== o.chainId) throw new DevChainError('START_FAILED', `anvil on ${rpcUrl} reports chain id ${id}, expected ${o.chainId}`, { log });
    } catch (e) {
      await p.stop();
      throw e;
    }
    return { rpcUrl, pid: p.pid(), log, stop: () => p.stop() };
  })();
  ready.catch(() => {}); // the caller awaits it; never an unhandled rejection in between
  return { ready, stop: () => p.stop() };
}

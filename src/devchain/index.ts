// The local chain stack of the developer network: anvil on 127.0.0.1, the account-abstraction
// contracts (EntryPoint v0.7 at its canonical address, Nexus 1.0.0, pre-v1 Smart Sessions, an
// ERC-7484 registry stub) plus our own contracts (contracts/*.sol), and the alto bundler on
// 127.0.0.1. `startDevChain` brings it up in that order, printing progress lines, and returns a
// handle whose stop() takes it down in reverse. Processes die with this process (watchdog / IPC).
// HOME gets anvil.log, alto.log and the solc cache (chain state itself is not persisted).
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Address, Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { ANVIL_DEV_KEYS, launchAnvil, type Anvil } from './anvil.ts';
import { loadThirdPartyBytecode } from './bytecode.ts';
import { startBundler, type Bundler } from './bundler.ts';
import { deployContracts, type DevChainContracts } from './deploy.ts';
import { assertPortFree } from './process.ts';
import { compileContracts } from './solidity.ts';

export { DevChainError, type DevChainErrorCode } from './errors.ts';
export { compileContracts, type CompiledContract, type CompiledContracts } from './solidity.ts';
export { loadThirdPartyBytecode, parseSolidityHexConstant, type ThirdPartyBytecode } from './bytecode.ts';
export {
  CREATE2_DEPLOYER,
  DEVNET_SALT,
  ENTRYPOINT_V07_ADDRESS,
  ENTRYPOINT_V07_SALT,
  ERC7484_REGISTRY_ADDRESS,
  SMART_SESSIONS_ADDRESS,
  type DevChainContracts,
} from './deploy.ts';
export { ANVIL_DEV_KEYS, launchAnvil, startAnvil, type Anvil, type AnvilOptions } from './anvil.ts';
export { startBundler, type Bundler, type BundlerOptions } from './bundler.ts';
export { deployContracts, type DeployOptions } from './deploy.ts';

export interface DevChainOptions {
  /** Folder for logs and the solc cache (created if missing). */
  home: string;
  anvilPort: number;
  bundlerPort: number;
  /** Default 31337. */
  chainId?: number;
  progress(line: string): void;
}

export interface DevChain {
  rpcUrl: string;
  bundlerUrl: string;
  chainId: number;
  contracts: DevChainContracts;
  /** anvil dev accounts the stack does not use (10 000 ETH each): free for apps, demos, tests. */
  funded: { privateKey: Hex; address: Address }[];
  /** pids and log files, for diagnostics. */
  processes: { anvil: { pid?: number; log: string }; bundler: { pid?: number; log: string } };
  stop(): Promise<void>;
}

/** Dev account 0 deploys the contracts and is alto's utility account; account 1 is alto's executor. */
const DEPLOYER_KEY = ANVIL_DEV_KEYS[0];
const UTILITY_KEY = ANVIL_DEV_KEYS[0];
const EXECUTOR_KEYS = [ANVIL_DEV_KEYS[1]];

export async function startDevChain(o: DevChainOptions): Promise<DevChain> {
  const started = Date.now();
  const home = resolve(o.home);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const chainId = o.chainId ?? 31337;
  let anvil: Anvil | undefined;
  let bundler: Bundler | undefined;
  const stop = async () => {
    await bundler?.stop();
    await anvil?.stop();
  };
  await assertPortFree(o.bundlerPort, 'bundler'); // fail before starting anything
  const launched = await launchAnvil({ home, port: o.anvilPort, chainId });
  try {
    // Compile / read bytecode while anvil boots (solc-js is synchronous).
    const compiled = compileContracts({ cacheDir: resolve(home, 'solc-cache'), progress: o.progress });
    const thirdParty = loadThirdPartyBytecode();
    anvil = await launched.ready;
    o.progress(`anvil up at ${anvil.rpcUrl} (chain id ${chainId}, pid ${anvil.pid})`);

    const contracts = await deployContracts({
      rpcUrl: anvil.rpcUrl,
      deployer: privateKeyToAddress(DEPLOYER_KEY),
      thirdParty,
      compiled,
      progress: o.progress,
    });

    bundler = await startBundler({
      home,
      port: o.bundlerPort,
      rpcUrl: anvil.rpcUrl,
      entryPoint: contracts.entryPoint,
      executorKeys: [...EXECUTOR_KEYS],
      utilityKey: UTILITY_KEY,
    });
    o.progress(`bundler (alto) up at ${bundler.url} (pid ${bundler.pid})`);
    o.progress(`chain stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const used = new Set<string>([DEPLOYER_KEY, UTILITY_KEY, ...EXECUTOR_KEYS]);
    return {
      rpcUrl: anvil.rpcUrl,
      bundlerUrl: bundler.url,
      chainId,
      contracts,
      funded: ANVIL_DEV_KEYS.filter((k) => !used.has(k)).map((privateKey) => ({ privateKey, address: privateKeyToAddress(privateKey) })),
      processes: { anvil: { pid: anvil.pid, log: anvil.log }, bundler: { pid: bundler.pid, log: bundler.log } },
      stop,
    };
  } catch (e) {
    await bundler?.stop();
    await launched.stop(); // also when a compile error came before anvil was ready
    throw e;
  }
}

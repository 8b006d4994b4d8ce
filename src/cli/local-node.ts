// How an operator command reaches a node on this machine: through the running node's control
// socket (HOME/admin.sock), or, when no node runs there, by opening its store directly (which
// needs the operator secret, as `dan-node start` does).
import { readSecret } from '../daemon/secret.ts';
import { loadConfig, resolveHome, type NodeConfig } from '../node/config.ts';
import { NodeStore } from '../store/index.ts';

/** `online()` against the running node; when none answers, `offline()` with its store opened. */
export async function withNode<T>(
  home: string,
  online: () => Promise<T>,
  offline: (store: NodeStore, config: NodeConfig) => Promise<T>,
): Promise<{ result: T; via: 'node' | 'store' }> {
  try {
    return { result: await online(), via: 'node' };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'ENOENT' && code !== 'ECONNREFUSED') throw e;
  }
  const config = loadConfig(home, process.env);
  const store = await NodeStore.open({ path: resolveHome(home, config.dataDir), secret: readSecret(home, config, process.env) });
  try {
    return { result: await offline(store, config), via: 'store' };
  } finally {
    await store.close();
  }
}

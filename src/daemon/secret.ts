// The operator secret that encrypts a node's store: where it comes from and how long it must be.
import { existsSync, readFileSync } from 'node:fs';
import { resolveHome, type NodeConfig } from '../node/config.ts';

export class SecretError extends Error {
  override readonly name = 'SecretError';
  readonly code = 'SECRET_MISSING';
}

/** The shortest operator secret accepted (characters; `dan-node init` writes 43 random ones). */
export const MIN_SECRET_LENGTH = 16;

/**
 * The operator secret: DAN_NODE_SECRET, else the file DAN_NODE_SECRET_FILE names (e.g. a container
 * secret under /run/secrets), else the configured secret file.
 */
export function readSecret(home: string, config: NodeConfig, env: NodeJS.ProcessEnv): string {
  const hint = 'generate one with: openssl rand -base64 32';
  if (env.DAN_NODE_SECRET !== undefined) {
    if (env.DAN_NODE_SECRET.length < MIN_SECRET_LENGTH) throw new SecretError(`DAN_NODE_SECRET is ${env.DAN_NODE_SECRET.length} characters long; at least ${MIN_SECRET_LENGTH} are needed (${hint})`);
    return env.DAN_NODE_SECRET;
  }
  const file = env.DAN_NODE_SECRET_FILE ? { path: env.DAN_NODE_SECRET_FILE, source: 'DAN_NODE_SECRET_FILE' } : config.secretFile ? { path: resolveHome(home, config.secretFile), source: 'config "secretFile"' } : undefined;
  if (file) {
    if (!existsSync(file.path)) throw new SecretError(`secret file ${file.path} (${file.source}) not found`);
    const secret = readFileSync(file.path, 'utf8').trim();
    if (secret.length < MIN_SECRET_LENGTH) throw new SecretError(`the secret in ${file.path} (${file.source}) is ${secret.length} characters long; at least ${MIN_SECRET_LENGTH} are needed (${hint})`);
    return secret;
  }
  throw new SecretError(`no operator secret: set DAN_NODE_SECRET, DAN_NODE_SECRET_FILE or "secretFile" in the config (it encrypts the key shares at rest; ${hint})`);
}

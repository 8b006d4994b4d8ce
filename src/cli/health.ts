// `dan-node health`: asks the node's ops endpoint (from its config) whether it is alive or ready;
// exit 0 when it is. For container HEALTHCHECKs, systemd and scripts.
import { resolve } from 'node:path';
import { loadConfig } from '../node/config.ts';
import { UsageError, parseOptions, type Command } from './args.ts';

const usage = `Usage: dan-node health --home DIR [--ready] [--timeout MS]

Asks the running node whose folder is DIR (its config's ops.host:ops.port, after environment and
flag overrides) for GET /livez, or /readyz with --ready, and prints the answer. Exit status 0 when
it answers 200, 1 otherwise (not running, not ready, ops endpoint turned off).

Options:
  --home DIR      the node's folder (required)
  --ready         readiness (connected to another operator) instead of liveness
  --timeout MS    how long to wait for the answer (default 3000)
  -h, --help      show this help`;

export const healthCommand: Command = {
  name: 'health',
  usage,
  async run(argv) {
    const { values } = parseOptions(argv, { home: { type: 'string' }, ready: { type: 'boolean' }, timeout: { type: 'string' } });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    if (!values.home) throw new UsageError('--home is required');
    const timeoutMs = values.timeout === undefined ? 3000 : Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new UsageError(`--timeout must be a positive integer, got "${values.timeout}"`);
    const { ops } = loadConfig(resolve(values.home), process.env);
    if (!ops.enabled) {
      console.error('the ops endpoint is turned off (ops.enabled false): nothing to ask');
      return 1;
    }
    const host = ops.host === '0.0.0.0' || ops.host === '::' ? '127.0.0.1' : ops.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${ops.port}/${values.ready ? 'readyz' : 'livez'}`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      console.log(`${url}: ${res.status} ${await res.text()}`);
      return res.status === 200 ? 0 : 1;
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      console.error(`${url}: no answer (${err.cause?.code ?? err.message})`);
      return 1;
    }
  },
};

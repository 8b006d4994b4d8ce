// `dan-node start`: run a node (and the coordinator role if configured) until SIGINT/SIGTERM.
import { resolve } from 'node:path';
import { loadConfig } from '../node/config.ts';
import { UsageError, parseOptions, type Command } from './args.ts';
import type { Logger } from '../log/logger.ts';

const usage = `Usage: dan-node start --home DIR [--network ID] [--listen MULTIADDR] [--rpc HOST:PORT] [--ops HOST:PORT|off]
                      [--coordinator] [--log-level LEVEL]

Runs the node whose folder is DIR (see dan-node init). Settings come from DIR/config.json, then
environment variables, then these flags:

  --network ID         the network's id, shared by all its operators (env DAN_NODE_NETWORK)
  --listen MULTIADDR   peer address (env DAN_NODE_LISTEN, comma-separated)
  --rpc HOST:PORT      JSON-RPC address of the coordinator role (env DAN_NODE_RPC)
  --ops HOST:PORT|off  the ops endpoint: GET /livez, /readyz, /metrics (env DAN_NODE_OPS;
                       default 127.0.0.1:9464)
  --coordinator        take the coordinator role (env DAN_NODE_COORDINATOR=1)
  --log-level LEVEL    error | warn | info | debug (env DAN_NODE_LOG_LEVEL)
  -h, --help           show this help

The operator secret that encrypts the key shares (at least 16 characters) comes from
DAN_NODE_SECRET or the file named by "secretFile" in the config. Logs are JSON lines on stderr.`;

export const startCommand: Command = {
  name: 'start',
  usage,
  async run(argv) {
    const { values } = parseOptions(argv, {
      home: { type: 'string' },
      network: { type: 'string' },
      listen: { type: 'string' },
      rpc: { type: 'string' },
      ops: { type: 'string' },
      coordinator: { type: 'boolean' },
      'log-level': { type: 'string' },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    if (!values.home) throw new UsageError('--home is required');
    const home = resolve(values.home);
    const config = loadConfig(home, process.env, {
      network: values.network,
      listen: values.listen ? [values.listen] : undefined,
      rpc: values.rpc,
      ops: values.ops,
      coordinator: values.coordinator,
      logLevel: values['log-level'],
    });
    const { startDaemon } = await import('../daemon/daemon.ts'); // loaded after --help and config checks
    const daemon = await startDaemon(home, config, process.env);
    guardProcess(daemon.log);
    // A parent that started us over IPC (the devnet) learns our endpoints; if it goes away, so do we.
    process.send?.({ event: 'started', peerId: daemon.peerId, addresses: daemon.addresses, rpcUrl: daemon.rpcUrl, opsUrl: daemon.opsUrl });
    return new Promise<number>(() => {
      let stopping = false;
      const stop = (why: string) => {
        if (stopping) return;
        stopping = true;
        daemon.log.info('stopping', { why });
        // Exit once stopped, even if a library left a timer behind.
        daemon.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('disconnect', () => stop('parent exited'));
    });
  },
};

/**
 * A rejection nobody handled is a bug in request handling (every remote call's failure is handled
 * where it is made): it is logged, its request has failed, and the node goes on serving. A thrown
 * exception nobody caught leaves state unknown: it is logged clearly and the process exits (1), for
 * the process manager to restart it.
 */
function guardProcess(log: Logger): void {
  process.on('unhandledRejection', (reason) => {
    const e = reason instanceof Error ? reason : new Error(String(reason));
    log.error('unhandled rejection (a bug): its request failed; the node goes on', { error: e.message, code: (e as { code?: unknown }).code, stack: e.stack });
  });
  process.on('uncaughtException', (e) => {
    log.error('fatal: uncaught exception; exiting', { error: e.message, stack: e.stack });
    process.exit(1);
  });
}

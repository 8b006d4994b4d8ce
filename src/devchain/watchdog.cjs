// Watchdog for a native child (anvil): `node watchdog.cjs CMD ARGS...` runs CMD with this
// process's stdio and makes sure it never outlives the devnet. It reports the child's pid over
// the IPC channel, forwards SIGTERM/SIGINT, and stops the child when the parent goes away (IPC
// channel closed, or re-parented to another pid), escalating to SIGKILL after 3 s. It exits with
// the child's status. CommonJS so that it runs with plain node, without tsx.
'use strict';
const { spawn } = require('node:child_process');
const { constants } = require('node:os');

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node watchdog.cjs CMD [ARGS...]');
  process.exit(2);
}
const parentPid = process.ppid;
const child = spawn(cmd, args, { stdio: 'inherit' });
let stopping = false;

function stop(signal) {
  if (stopping) return;
  stopping = true;
  child.kill(signal);
  setTimeout(() => child.kill('SIGKILL'), 3000).unref();
}

child.on('spawn', () => {
  if (process.send) process.send({ event: 'spawned', pid: child.pid });
});
child.on('error', (e) => {
  console.error(`watchdog: cannot run ${cmd}: ${e.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
});
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGHUP', () => stop('SIGTERM'));
process.on('disconnect', () => stop('SIGTERM'));
if (process.channel) process.channel.unref();
setInterval(() => {
  if (process.ppid !== parentPid) stop('SIGTERM');
}, 500).unref();

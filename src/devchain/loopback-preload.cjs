// Preload for child node processes of the devnet (alto): `node --require loopback-preload.cjs ...`.
// 1. Every net.Server.listen (http, fastify, websockets) binds 127.0.0.1 whatever host the program
//    asked for: alto 0.0.20 hard-codes 0.0.0.0. Unix sockets and inherited handles are untouched.
// 2. The process exits when its parent goes away (IPC channel closed, or re-parented), so a
//    killed devnet leaves no bundler behind.
// The host can be changed with DAN_LOOPBACK_HOST (default 127.0.0.1).
'use strict';
const net = require('node:net');

const HOST = process.env.DAN_LOOPBACK_HOST || '127.0.0.1';
const originalListen = net.Server.prototype.listen;

net.Server.prototype.listen = function listen(...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    // listen(options[, cb]) — only TCP options (port given, no path/handle) are rewritten
    const isHandle = typeof first._handle === 'object' || typeof first.fd === 'number' || 'handle' in first;
    if (!isHandle && first.path === undefined) args[0] = { ...first, host: HOST };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog][, cb])
    if (typeof args[1] === 'string') args[1] = HOST;
    else args.splice(1, 0, HOST);
  } else if (first === undefined || typeof first === 'function') {
    // listen() / listen(cb): random port on all interfaces -> random port on HOST
    args.unshift(0, HOST);
  }
  return originalListen.apply(this, args);
};

const parentPid = process.ppid;
function parentGone() {
  process.exit(0);
}
if (process.channel) {
  process.on('disconnect', parentGone);
  process.channel.unref();
}
setInterval(() => {
  if (process.ppid !== parentPid) parentGone();
}, 500).unref();

// What the process benchmarks share: one JSON-RPC call over node:http, and a process's resident memory.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { RpcError } from '../rpc/index.ts';

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** CPU time a process used so far (user + system, all its threads), ms; Linux clock ticks of 10 ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * One JSON-RPC call over node:http (for dan_sign: a kept-alive connection, so the figure is the
 * coordinator's round trip, not the client library's; undici's fetch adds ~0.5 ms per call here).
 */
export const agent = new Agent({ keepAlive: true, maxSockets: 1 });
export function rpc<T>(url: string, method: string, params: unknown, via = agent): Promise<T> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: via, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const reply = JSON.parse(text) as { result?: T; error?: { code: number; message: string } };
        if (reply.result) resolve(reply.result);
        else reject(reply.error ? new RpcError(reply.error.code, reply.error.message) : new Error('no result'));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}


// Entry point to the generated protobuf code. Configures protobufjs to decode `bytes` fields as
// plain Uint8Array (not Node Buffers, whose slice() aliases memory instead of copying).
import $protobuf from 'protobufjs/minimal.js';

$protobuf.util.Buffer = null as unknown as typeof $protobuf.util.Buffer;
$protobuf.configure();

export { dan } from './tss.js';
export { dan as danNet } from './net.js';

export { Gate, type GateOptions, type Job } from './gate.ts';

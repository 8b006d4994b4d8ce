// Structured logging for every long-running part: winston, JSON lines, one child logger per
// component carrying its context (peer id, session id, request id). Never pass secrets here:
// key shares, presignature records, OT seeds and the operator secret must not appear in any field.
import winston from 'winston';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  child(meta: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Also write to this file (JSON lines). */
  file?: string;
  /** Write to stderr (default true). */
  console?: boolean;
  base?: Record<string, unknown>;
}

export function createLogger(o: LoggerOptions): Logger {
  const transports: winston.transport[] = [];
  if (o.console !== false) transports.push(new winston.transports.Console({ stderrLevels: [...LOG_LEVELS] }));
  if (o.file) transports.push(new winston.transports.File({ filename: o.file }));
  return winston.createLogger({
    level: o.level,
    defaultMeta: o.base,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports,
  }) as unknown as Logger;
}

/** A logger that drops everything (library use and unit tests). */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

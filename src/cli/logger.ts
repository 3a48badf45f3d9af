// The one logger setup of every long-running command (proxy, demo, collect): pino, JSON lines with
// pino's numeric levels ({"level":30,...}), at log.level, so every process's lines parse the same way.
import type { FastifyBaseLogger } from 'fastify'
import { pino } from 'pino'
import type { LogConfig } from '../config.js'

/** A pino logger at `level` writing to `stream` (default: stdout). Fastify takes it as its loggerInstance. */
export function createLogger(level: LogConfig['level'], stream?: NodeJS.WritableStream): FastifyBaseLogger {
  return stream === undefined ? pino({ level }) : pino({ level }, stream as pino.DestinationStream)
}

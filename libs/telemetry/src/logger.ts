import pino, { Logger } from 'pino';
import { trace } from '@opentelemetry/api';
import type { LoggerService } from '@nestjs/common';
import { currentContext } from './context';

let root: Logger | undefined;

/**
 * The process logger: JSON lines carrying the active trace/span ids and the tenant and
 * correlation id of the current unit of work, so one grep follows a request everywhere.
 */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  root = pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const out: Record<string, string> = {};
        const span = trace.getActiveSpan()?.spanContext();
        if (span) {
          out.trace_id = span.traceId;
          out.span_id = span.spanId;
        }
        const ctx = currentContext();
        if (ctx?.tenantId) out.tenant_id = ctx.tenantId;
        if (ctx?.correlationId) out.correlation_id = ctx.correlationId;
        return out;
      },
    },
    destination,
  );
  return root;
}

/** The logger created by {@link createLogger}, or a silent one before it (tests, tools). */
export function logger(): Logger {
  return root ?? (root = pino({ level: 'silent' }));
}

/** Adapts pino to Nest's LoggerService so framework messages are JSON lines too. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: Logger = logger()) {}
  log(message: unknown, context?: string) {
    this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.pino.error({ context, stack: trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.pino.trace({ context }, String(message));
  }
}

/**
 * Turns the services' pino JSON lines into one compact, readable line each:
 *   12:03:04.512 gateway  INFO  listening  port=3000
 * Lines that are not pino JSON are printed as they are, behind the service name.
 */

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOURS: Record<string, string> = { TRACE: '90', DEBUG: '90', INFO: '32', WARN: '33', ERROR: '31', FATAL: '35' };
const NAME_COLOURS = ['36', '35', '34', '33', '32', '96', '95', '94'];
/** pino's own bookkeeping fields, not worth a column. */
const HIDDEN = new Set(['level', 'time', 'msg', 'message', 'pid', 'hostname', 'v', 'service', 'name']);
const MAX_EXTRA = 400;

export interface FormatOptions {
  color: boolean;
  /** Width the service name is padded to. */
  nameWidth: number;
  /** Colour index of the service (its position in the list). */
  index?: number;
}

const paint = (on: boolean, code: string, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

function levelName(level: unknown): string {
  if (typeof level === 'number') return LEVELS[level] ?? String(level);
  if (typeof level === 'string') return level.toUpperCase();
  return 'INFO';
}

function clock(time: unknown): string {
  const d = typeof time === 'number' || typeof time === 'string' ? new Date(time) : new Date();
  const t = Number.isNaN(d.getTime()) ? new Date() : d;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}.${String(t.getMilliseconds()).padStart(3, '0')}`;
}

function show(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

function parse(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function formatLogLine(service: string, line: string, opts: FormatOptions): string {
  const name = paint(opts.color, NAME_COLOURS[(opts.index ?? 0) % NAME_COLOURS.length], service.padEnd(opts.nameWidth));
  const record = parse(line);
  if (!record || (record.msg === undefined && record.level === undefined)) return `${name} | ${line.trimEnd()}`;

  const level = levelName(record.level);
  const msg = typeof record.msg === 'string' ? record.msg : typeof record.message === 'string' ? record.message : '';
  const extras: string[] = [];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN.has(key) || value === undefined) continue;
    if (key === 'err' && value !== null && typeof value === 'object') {
      const err = value as { message?: unknown; stack?: unknown; type?: unknown };
      extras.push(`err=${show(err.message ?? err.type ?? value)}`);
      if (typeof err.stack === 'string' && (level === 'ERROR' || level === 'FATAL')) stack = err.stack;
      continue;
    }
    extras.push(`${key}=${show(value)}`);
  }
  let extra = extras.join(' ');
  if (extra.length > MAX_EXTRA) extra = `${extra.slice(0, MAX_EXTRA)}…`;
  const head = `${paint(opts.color, '90', clock(record.time))} ${name} ${paint(opts.color, LEVEL_COLOURS[level] ?? '0', level.padEnd(5))} ${msg}`;
  const out = extra ? `${head}  ${paint(opts.color, '90', extra)}` : head;
  if (!stack) return out;
  const indented = stack
    .split('\n')
    .slice(1)
    .map((l) => `    ${l.trim()}`)
    .join('\n');
  return indented ? `${out}\n${indented}` : out;
}

/** Keeps the last `size` lines, for error messages. */
export class LineBuffer {
  private readonly lines: string[] = [];
  constructor(private readonly size = 30) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }
  last(n = this.size): string[] {
    return this.lines.slice(-n);
  }
}

/** Splits a stream of chunks into lines; `flush` emits a trailing partial line. */
export function lineSplitter(onLine: (line: string) => void): { write: (chunk: Buffer | string) => void; flush: () => void } {
  let pending = '';
  return {
    write(chunk) {
      pending += chunk.toString();
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        if (line.trim() !== '') onLine(line);
        nl = pending.indexOf('\n');
      }
    },
    flush() {
      if (pending.trim() !== '') onLine(pending);
      pending = '';
    },
  };
}

/** A launcher message: `stack    | msg`, bold-ish when coloured. */
export function stackLine(msg: string, opts: { color: boolean; nameWidth: number; error?: boolean }): string {
  const name = paint(opts.color, opts.error ? '1;31' : '1', 'stack'.padEnd(opts.nameWidth));
  return msg
    .split('\n')
    .map((l) => `${name} | ${opts.error ? paint(opts.color, '31', l) : l}`)
    .join('\n');
}

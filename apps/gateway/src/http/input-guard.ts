import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyBodyParser, FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { ErrorCode, MAX_INPUT_DEPTH, StewardError, unsafeInput } from '@steward/contracts';
import { logger } from '@steward/telemetry';
import { Problem, toProblem } from './problem';

/**
 * The gateway's body and request handling, so that every request gets an RFC 9457
 * problem+json answer naming the field and rule, whatever it holds, whichever layer
 * refuses it (docs/adr/0015-no-500-on-any-input.md):
 * - JSON bodies are checked for depth while still text, before anything recursive runs on
 *   them (10,000 levels used to overflow the stack in JSON.stringify), then parsed by
 *   Fastify's own parser (prototype poisoning refused);
 * - every query string, path parameter and parsed body is checked for what no schema
 *   should see (NUL, lone surrogates, depth: `unsafeInput`) before a guard or pipe runs;
 * - Fastify's router errors (bad URL encoding, an over-long path parameter: 414), errors
 *   of the HTTP parser (malformed requests, headers too large: 431) and requests that
 *   arrive while the gateway shuts down (503, Retry-After) are problems too.
 */

/** `application/<anything>+json` (RFC 6839): parsed like application/json. */
const STRUCTURED_JSON_BODY = /^application\/[a-z0-9!#$&^_.-]+\+json$/i;

/** Options for Fastify's constructor: errors it would otherwise answer itself, in plain JSON. */
export function hardenedFastifyOptions(): Pick<FastifyServerOptions, 'return503OnClosing' | 'frameworkErrors' | 'clientErrorHandler'> {
  return {
    // Answered by the onRequest hook below instead, as a problem.
    return503OnClosing: false,
    frameworkErrors: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const status = tooLong ? 414 : 400;
      const detail = tooLong ? 'a path segment is longer than 100 characters' : 'the path is not a valid URL (bad percent-encoding)';
      send(req, reply, status, StewardError.validation([{ field: 'path', rule: tooLong ? 'max-length' : 'url-encoding', message: detail }], detail));
    },
    clientErrorHandler: (err: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Socket) => {
      if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy(err);
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      const detail = status === 431 ? 'the request headers are too large' : status === 408 ? 'the request took too long to arrive' : 'the request is not valid HTTP';
      const rule = status === 431 ? 'max-size' : status === 408 ? 'timeout' : 'http';
      const body = JSON.stringify(rawProblem(status, detail, [{ field: status === 431 ? '(headers)' : '(request)', rule, message: detail }]));
      const title = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
      socket.end(`HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
  };
}

/** Installs the JSON parser, the input check and the shutdown answer (call right after the request context). */
export function installInputGuards(adapter: FastifyAdapter, { maxDepth = MAX_INPUT_DEPTH } = {}): void {
  const fastify = adapter.getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const parser: FastifyBodyParser<Buffer> = (req, body, done) => {
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body);
    if (jsonDepthExceeded(text, maxDepth)) return done(StewardError.validation([{ field: '(body)', rule: 'depth', message: `nests deeper than ${maxDepth} levels` }]), undefined);
    void parseJson(req, text, (err, value) => {
      if (!err) return done(null, value);
      const empty = (err as FastifyError).code === 'FST_ERR_CTP_EMPTY_JSON_BODY';
      const message = empty ? 'is required with content-type application/json' : `is not valid JSON: ${err.message}`;
      done(StewardError.validation([{ field: '(body)', rule: empty ? 'required' : 'json', message }]), undefined);
    });
  };
  // Through Nest's adapter, so Nest does not add its own JSON parser over this one. Structured
  // JSON types (`application/merge-patch+json`, …: RFC 6839) are JSON too.
  adapter.useBodyParser('application/json', false, undefined, parser);
  adapter.useBodyParser(STRUCTURED_JSON_BODY, false, undefined, parser);

  fastify.addHook('preValidation', (req, _reply, done) => {
    const issues = [
      ...unsafeInput(req.params, { prefix: ['path'], maxDepth }),
      ...unsafeInput(req.query, { prefix: ['query'], maxDepth }),
      ...(req.body !== null && typeof req.body === 'object' ? unsafeInput(req.body, { maxDepth }) : []),
    ];
    done(issues.length ? StewardError.validation(issues) : undefined);
  });

  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (req, reply, done) => {
    if (!closing) return done();
    void reply.header('connection', 'close').header('retry-after', '1');
    send(req, reply, 503, new StewardError(ErrorCode.ServiceUnavailable, 'The gateway is shutting down: retry on another replica'));
  });
}

/**
 * True when `json` nests objects and arrays deeper than `max` (brackets inside strings do
 * not count). A linear scan of the text: nothing recursive touches the body before it passes.
 */
export function jsonDepthExceeded(json: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return false;
}

function send(req: FastifyRequest, reply: FastifyReply, status: number, err: unknown): void {
  const correlationId = req.stewardContext?.correlationId ?? randomUUID();
  const problem: Problem & { instance: string; correlationId: string } = { ...toProblem(err, correlationId), status, instance: req.url.split('?')[0]!, correlationId };
  if (status >= 500 && status !== 503) logger().error({ err, status }, 'request failed');
  void reply.status(status).header('content-type', 'application/problem+json').send(problem);
}

function rawProblem(status: number, detail: string, errors: Array<{ field: string; rule: string; message: string }>) {
  return { type: 'https://steward.dev/problems/validation-failed', title: status === 400 ? 'Bad Request' : 'Error', status, detail, code: 'VALIDATION_FAILED', errors };
}

import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, StewardError } from '@steward/contracts';
import { toProblem } from './problem';

/** The methods a route table is probed for (OPTIONS is answered for every known path). */
const PROBED = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * 405 with `Allow` for a wrong method on an existing path (not 404), for every route the
 * gateway has, registered now or later: a request the router did not match is looked up under
 * every other method before the not-found answer. OPTIONS on an existing path answers 204
 * with `Allow` (a CORS preflight is answered before this, by the CORS hook).
 */
export function installMethodNotAllowed(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    if (!req.is404) return done();
    const path = req.url.split('?')[0]!;
    const allowed = PROBED.filter((method) => method !== req.method && fastify.findRoute({ method, url: path }) !== null);
    if (allowed.length === 0) return done();
    const allow = [...allowed, 'OPTIONS'].join(', ');
    void reply.header('allow', allow);
    if (req.method === 'OPTIONS') return void reply.code(204).send();
    const message = `${req.method} is not allowed on ${path}: use ${allow}`;
    send(req, reply, new StewardError(ErrorCode.MethodNotAllowed, message, { errors: [{ field: 'method', rule: 'allowed', message: `must be one of ${allow}` }] }));
  });
}

function send(req: FastifyRequest, reply: FastifyReply, err: StewardError): void {
  const correlationId = req.stewardContext?.correlationId ?? randomUUID();
  const problem = { ...toProblem(err, correlationId), instance: req.url.split('?')[0]!, correlationId };
  void reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
}

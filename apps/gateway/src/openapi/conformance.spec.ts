import type { OpenAPIObject } from '@nestjs/swagger';
import { ConformanceCheck, documentPath } from './conformance';

const doc = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/v1/things/{id}': {
      get: {
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
      delete: { responses: { '204': { description: 'gone' } } },
    },
    '/v1/things:export': { get: { responses: { '200': { description: 'csv', content: { 'text/csv': { schema: { type: 'string' } } } } } } },
  },
  components: {
    schemas: {
      Thing: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, name: { type: ['string', 'null'] } }, required: ['id', 'name'], additionalProperties: false },
      Problem: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] },
    },
    responses: { NotFound: { description: 'nf', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
  },
} as unknown as OpenAPIObject;

const check = new ConformanceCheck(doc);
const json = 'application/json; charset=utf-8';
const id = '6f1c1e5e-0a43-4c1e-9a39-3f0f3c1c7a11';

describe('ConformanceCheck', () => {
  it('accepts a documented status with a body that matches its schema (through $refs)', () => {
    expect(check.check('GET', '/v1/things/:id', 200, json, JSON.stringify({ id, name: null }))).toEqual([]);
    expect(check.check('GET', '/v1/things/:id', 404, 'application/problem+json', JSON.stringify({ code: 'NOT_FOUND' }))).toEqual([]);
    expect(check.check('DELETE', '/v1/things/:id', 204, undefined, '')).toEqual([]);
    expect(check.check('GET', '/v1/things::export', 200, 'text/csv; charset=utf-8', 'id\n1')).toEqual([]);
  });

  it('names an undocumented status, an undocumented content type and each schema violation', () => {
    expect(check.check('GET', '/v1/things/:id', 409, json, '{}')[0]!.problem).toMatch(/status 409 is not documented \(documented: 200, 404\)/);
    expect(check.check('GET', '/v1/things/:id', 200, 'text/html', '<p>')[0]!.problem).toMatch(/content type text\/html is not documented/);
    const wrong = check.check('GET', '/v1/things/:id', 200, json, JSON.stringify({ id: 'nope', extra: 1 }));
    expect(wrong.map((m) => m.problem)).toEqual(expect.arrayContaining([expect.stringMatching(/must have required property 'name'/), expect.stringMatching(/additional properties \(extra\)/), expect.stringMatching(/\/id must match format "uuid"/)]));
    expect(check.check('GET', '/v1/things/:id', 200, json, 'not json')[0]!.problem).toBe('the body is not JSON');
  });

  it('flags an API route missing from the document, and leaves the rest (health, metrics, docs, preflight) alone', () => {
    expect(check.check('POST', '/v1/things', 201, json, '{}')[0]!.problem).toBe('the route is not in the document');
    expect(check.check('GET', '/healthz', 200, json, '{}')).toEqual([]);
    expect(check.check('OPTIONS', '/v1/things/:id', 204, undefined, '')).toEqual([]);
    expect(check.check('GET', undefined, 404, json, '{}')).toEqual([]);
  });

  it("writes the router's patterns as the document does", () => {
    expect(documentPath('/v1/accounts/:id/contacts')).toBe('/v1/accounts/{id}/contacts');
    expect(documentPath('/v1/accounts::export')).toBe('/v1/accounts:export');
    expect(documentPath('/v1/revenue-records::batch')).toBe('/v1/revenue-records:batch');
  });
});

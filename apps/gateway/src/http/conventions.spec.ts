import { StewardError } from '@steward/contracts';
import { ROUTE_CONTROLLERS } from '../routes';
import { acceptsMediaType, expectedVersion, locationOf, mediaTypeOf, noneMatchHits, parseEntityTags, versionOfTag, versionTag } from './conventions';
import { routeLabel } from './route-label';
import { locationPattern, pathShape, routeTable } from './route-table';

describe('content types a JSON route accepts', () => {
  it.each([
    ['application/json', true],
    ['application/merge-patch+json', true],
    ['application/vnd.steward.account+json', true],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data', false],
    ['text/csv', false],
    ['text/plain', false],
    ['application/jsonx', false],
    ['application/+json', false],
  ])('%s: %s', (type, accepted) => {
    expect(acceptsMediaType(['application/json'], type)).toBe(accepted);
  });

  it('reads the media type without parameters, lower-cased', () => {
    expect(mediaTypeOf('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(mediaTypeOf(undefined)).toBeUndefined();
    expect(mediaTypeOf(' ')).toBeUndefined();
  });

  it('takes only what a route that declares its types lists', () => {
    expect(acceptsMediaType(['text/csv'], 'text/csv')).toBe(true);
    expect(acceptsMediaType(['text/csv'], 'application/json')).toBe(false);
    expect(acceptsMediaType(['text/csv'], 'application/merge-patch+json')).toBe(false);
  });
});

describe('entity tags', () => {
  it.each([
    ['*', '*'],
    ['"3"', [{ weak: false, value: '3' }]],
    ['W/"3"', [{ weak: true, value: '3' }]],
    ['"3-abc", W/"4" , "5"', [{ weak: false, value: '3-abc' }, { weak: true, value: '4' }, { weak: false, value: '5' }]],
    ['"', null],
    ['3', null],
    ['"3" "4"', null],
    // Lists may carry empty elements (RFC 9110 §5.6.1).
    ['"3",', [{ weak: false, value: '3' }]],
    ['', null],
  ])('%j parses to %j', (header, parsed) => {
    expect(parseEntityTags(header)).toEqual(parsed);
  });

  it('names a version and a digest of the body, so the tag changes with the representation', () => {
    const a = versionTag(3, { id: 'x', version: 3, tier: 1 });
    expect(a).toMatch(/^"3-[A-Za-z0-9_-]{16}"$/);
    expect(versionTag(3, { id: 'x', version: 3, tier: 1 })).toBe(a);
    expect(versionTag(3, { id: 'x', version: 3, tier: 2 })).not.toBe(a);
    expect(versionOfTag(a.slice(1, -1))).toBe(3);
    expect(versionOfTag('3')).toBe(3);
    expect(versionOfTag('0')).toBeNull();
    expect(versionOfTag('03')).toBeNull();
    expect(versionOfTag('3-')).toBeNull();
    expect(versionOfTag('abc')).toBeNull();
  });

  it('answers If-None-Match by weak comparison', () => {
    const tag = '"3-abc"';
    expect(noneMatchHits('"3-abc"', tag)).toBe(true);
    expect(noneMatchHits('W/"3-abc"', tag)).toBe(true);
    expect(noneMatchHits('"2-xyz", "3-abc"', tag)).toBe(true);
    expect(noneMatchHits('*', tag)).toBe(true);
    expect(noneMatchHits('"3-abd"', tag)).toBe(false);
    expect(noneMatchHits(undefined, tag)).toBe(false);
    expect(noneMatchHits('garbage', tag)).toBe(false);
  });

  it("takes If-Match's version, or the body's, and refuses two that disagree", () => {
    expect(expectedVersion(undefined, undefined)).toEqual({});
    expect(expectedVersion(3, undefined)).toEqual({ expectedVersion: 3 });
    expect(expectedVersion(undefined, 4)).toEqual({ expectedVersion: 4 });
    expect(expectedVersion(4, 4)).toEqual({ expectedVersion: 4 });
    expect(() => expectedVersion(3, 4)).toThrow(StewardError);
  });
});

describe('Location of a created resource', () => {
  it('defaults to the request path and the body id', () => {
    expect(locationOf(undefined, '/v1/accounts', {}, { id: 'a1' })).toBe('/v1/accounts/a1');
    expect(locationOf(undefined, '/v1/accounts/', {}, { id: 'a1' })).toBe('/v1/accounts/a1');
  });

  it('follows a declared place, with request parameters and a nested id', () => {
    expect(locationOf({ path: '/v1/contacts/{id}', id: 'id' }, '/v1/accounts/a1/contacts', { id: 'a1' }, { id: 'c1' })).toBe('/v1/contacts/c1');
    expect(locationOf({ path: '/v1/api-keys/{id}', id: 'apiKey.id' }, '/v1/partners/p/api-keys', { id: 'p' }, { apiKey: { id: 'k1' }, key: 's' })).toBe('/v1/api-keys/k1');
    expect(locationOf({ path: '/v1/accounts/:accountId/notes/{id}', id: 'id' }, '/x', { accountId: 'a 1' }, { id: 'n1' })).toBe('/v1/accounts/a%201/notes/n1');
  });

  it('is left out when the body carries no id', () => {
    expect(locationOf(undefined, '/v1/x', {}, { ok: true })).toBeNull();
    expect(locationOf({ path: '/v1/api-keys/{id}', id: 'apiKey.id' }, '/v1/x', {}, { apiKey: null })).toBeNull();
  });
});

describe('every route of the gateway', () => {
  const routes = routeTable(ROUTE_CONTROLLERS);

  it('are found (the table reads the controllers)', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes).toContainEqual(expect.objectContaining({ method: 'GET', path: '/v1/accounts/:id' }));
    expect(routes).toContainEqual(expect.objectContaining({ method: 'POST', path: '/v1/accounts::import', status: 200 }));
    expect(routes).toContainEqual(expect.objectContaining({ method: 'PATCH', path: '/v1/accounts/:id', ifMatchVersion: true }));
  });

  it('a POST that creates (201) points its Location at a route that reads the created resource (GET), or says it has none (@NoLocation)', () => {
    const reads = new Set(routes.filter((r) => r.method === 'GET').map((r) => pathShape(r.path)));
    const creating = routes.filter((r) => locationPattern(r) !== null);
    expect(creating.length).toBeGreaterThan(5);
    const broken = creating.filter((r) => !reads.has(pathShape(locationPattern(r)!))).map((r) => `${r.method} ${routeLabel(r.path)} (${r.controller}.${r.handler}) → Location ${routeLabel(locationPattern(r)!)} has no GET route: declare @CreatedAt(...) or @NoLocation()`);
    expect(broken).toEqual([]);
  });

  it('@IfMatchVersion is only taken by writes', () => {
    expect(routes.filter((r) => r.ifMatchVersion && !['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))).toEqual([]);
  });
});

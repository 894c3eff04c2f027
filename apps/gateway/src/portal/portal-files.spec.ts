import { encodingFor } from './portal-files';
import { portalTarget } from './portal';

describe('the encoding sent for an Accept-Encoding', () => {
  const both = { br: 1, gzip: 1 };
  it.each([
    [undefined, both, null],
    ['', both, null],
    ['gzip', both, 'gzip'],
    ['gzip, deflate, br', both, 'br'],
    ['br;q=0.5, gzip;q=0.8', both, 'gzip'],
    ['br;q=0, gzip;q=0', both, null],
    ['*', both, 'br'],
    ['*, br;q=0', both, 'gzip'],
    ['x-gzip', both, 'gzip'],
    ['br', { gzip: 1 }, null],
    ['identity', both, null],
  ] as const)('%j with %j available: %s', (header, available, expected) => {
    expect(encodingFor(header, available)).toBe(expected);
  });
});

describe('what a request path asks the portal for', () => {
  it.each([
    ['/', { kind: 'page', path: '/' }],
    ['/accounts/123?tier=1', { kind: 'page', path: '/accounts/123' }],
    ['/assets/index-C1.js', { kind: 'file', path: '/assets/index-C1.js' }],
    ['/assets/no-extension', { kind: 'file', path: '/assets/no-extension' }],
    ['/favicon.svg', { kind: 'file', path: '/favicon.svg' }],
    ['/v1/nope', null],
    ['/v1', null],
    ['/docs', null],
    ['/openapi.json', null],
    ['/metrics', null],
    ['/readyz/nats', null],
    ['/assets/../index.html', null],
    ['/assets/%2e%2e/index.html', null],
    ['/a%5cb', null],
    ['/a%00', null],
    ['/%E0%A4%A', null],
    ['//etc/passwd', null],
  ] as const)('%s: %j', (url, expected) => {
    expect(portalTarget(url)).toEqual(expected);
  });
});

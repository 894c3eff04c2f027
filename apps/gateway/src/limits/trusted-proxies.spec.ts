import Fastify from 'fastify';
import { loadGatewayConfig, trustProxyOf } from '../config';

const BASE = { STEWARD_JWT_SECRET: 'j'.repeat(32), STEWARD_CONTEXT_KEY: 'c'.repeat(32) };

/** The client address Fastify reports for a request from `peer` carrying `forwarded`, as the gateway configures it. */
async function clientAddress(trustedProxies: string | undefined, peer: string, forwarded?: string): Promise<string> {
  const config = loadGatewayConfig({ ...BASE, ...(trustedProxies === undefined ? {} : { TRUSTED_PROXIES: trustedProxies }) });
  const app = Fastify({ trustProxy: trustProxyOf(config) });
  app.get('/ip', async (req) => ({ ip: req.ip }));
  const res = await app.inject({ method: 'GET', url: '/ip', remoteAddress: peer, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} });
  await app.close();
  return (res.json() as { ip: string }).ip;
}

describe('trusted proxies (TRUSTED_PROXIES)', () => {
  it.each([
    { scenario: 'by default, a forged X-Forwarded-For is ignored: the address is the TCP peer', trusted: undefined, peer: '203.0.113.7', forwarded: '198.51.100.1', ip: '203.0.113.7' },
    { scenario: 'by default, even from loopback', trusted: undefined, peer: '127.0.0.1', forwarded: '198.51.100.1', ip: '127.0.0.1' },
    { scenario: 'from a configured proxy, the forwarded client address is used', trusted: '10.0.0.0/8', peer: '10.1.2.3', forwarded: '198.51.100.1', ip: '198.51.100.1' },
    { scenario: 'from a peer outside the configured proxies, the header is ignored', trusted: '10.0.0.0/8', peer: '203.0.113.7', forwarded: '198.51.100.1', ip: '203.0.113.7' },
    { scenario: 'a chain is read right to left up to the first untrusted hop', trusted: 'loopback', peer: '127.0.0.1', forwarded: '198.51.100.1, 203.0.113.9', ip: '203.0.113.9' },
  ])('$scenario', async ({ trusted, peer, forwarded, ip }) => {
    expect(await clientAddress(trusted, peer, forwarded)).toBe(ip);
  });

  it('is off by default and parses a list; anything else stops the gateway naming the variable', () => {
    expect(loadGatewayConfig(BASE).trustedProxies).toEqual([]);
    expect(trustProxyOf(loadGatewayConfig(BASE))).toBe(false);
    expect(loadGatewayConfig({ ...BASE, TRUSTED_PROXIES: ' loopback, 10.0.0.0/8 ,192.0.2.1' }).trustedProxies).toEqual(['loopback', '10.0.0.0/8', '192.0.2.1']);
    expect(() => loadGatewayConfig({ ...BASE, TRUSTED_PROXIES: 'true' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadGatewayConfig({ ...BASE, TRUSTED_PROXIES: '*' })).toThrow(/TRUSTED_PROXIES/);
  });

  it('reads the partner budget from RATE_LIMIT_PER_PARTNER, or the former RATE_LIMIT_PER_API_KEY', () => {
    expect(loadGatewayConfig(BASE).rateLimit.perPartner).toBe(1200);
    expect(loadGatewayConfig({ ...BASE, RATE_LIMIT_PER_API_KEY: '7' }).rateLimit.perPartner).toBe(7);
    expect(loadGatewayConfig({ ...BASE, RATE_LIMIT_PER_API_KEY: '7', RATE_LIMIT_PER_PARTNER: '9' }).rateLimit.perPartner).toBe(9);
  });
});

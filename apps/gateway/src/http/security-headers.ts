import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every response (docs/adr/0029-portal-served-by-the-gateway.md).
 * Scripts only from the gateway's origin, no inline script anywhere (the portal's build has
 * none, Swagger UI at /docs loads its scripts as files). Styles allow 'unsafe-inline' because
 * antd's CSS-in-JS injects <style> elements at run time (and Swagger UI's page has one):
 * nonces would tighten it.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'object-src': ["'none'"],
};

/** Powerful features the portal never uses, refused for it and anything it might embed. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';

/**
 * Security headers on every response, portal and API alike, through @fastify/helmet (its
 * onRequest hooks, so 401s, 404s and 405s carry them too): the CSP above, nosniff,
 * `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`, `Cross-Origin-Opener-Policy:
 * same-origin`, a Permissions-Policy (helmet has none), and HSTS only when the public URL is
 * https (over plain http a browser ignores it, and a local http gateway must not pin itself).
 * Registered as a plugin: call before the routes that need it are ready (before `app.init`).
 */
export async function installSecurityHeaders(fastify: FastifyInstance, options: { publicUrl?: string }): Promise<void> {
  const https = options.publicUrl?.startsWith('https://') ?? false;
  await fastify.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    // Helmet's Cross-Origin-Resource-Policy (same-origin) stays: it governs no-cors loads
    // (another site's <img>/<script>), not the CORS reads STEWARD_CORS_ORIGINS allows.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  fastify.addHook('onRequest', (_req, reply, done) => {
    void reply.header('permissions-policy', PERMISSIONS_POLICY);
    done();
  });
}

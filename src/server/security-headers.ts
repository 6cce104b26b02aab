/**
 * Security headers on every answer (issue 14; OWASP ASVS V14.4), with @fastify/helmet:
 *
 * - the web app (portal, console) and the API: a Content-Security-Policy allowing scripts, workers and
 *   frames from this origin only (the Vite build has no inline script), styles from this origin plus
 *   inline ones (antd writes its CSS-in-JS into <style> elements and style attributes), images from this
 *   origin, `data:` and `blob:`; no plugins; no framing by anyone (`frame-ancestors 'none'`,
 *   X-Frame-Options DENY);
 * - the public verify page: no script, no fetch, no form at all (`default-src 'none'`), inline styles;
 * - PDFs and images (uploaded materials, issued documents): only `frame-ancestors 'self'` and
 *   X-Frame-Options SAMEORIGIN, so the console's materials viewer frames them. A stricter policy on the
 *   PDF itself (default-src or object-src 'none') stops Chromium's built-in PDF viewer;
 * - the OpenAPI page at /docs: the app's policy (Swagger UI's scripts and styles are files of this
 *   origin; it draws inline styles and data: images, which the app's policy allows).
 *
 * Everywhere: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (a verify URL carries its
 * token in the path), Cross-Origin-Opener-Policy and -Resource-Policy same-origin. HSTS only on answers
 * that went out over TLS — the socket's, or the proxy's X-Forwarded-Proto when HUJI_TRUST_PROXY believes
 * it — since a browser ignores it over plain HTTP and an `http://127.0.0.1` development server must stay
 * reachable.
 */
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type Directives = Readonly<Record<string, readonly string[]>>;

/** The app's policy: the portal, the console, the API's answers and /docs. */
export const APP_CSP: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'frame-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** The verify page: HTML and inline styles, nothing else. */
export const VERIFY_PAGE_CSP: Directives = {
  'default-src': ["'none'"],
  'style-src': ["'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** PDFs and images: framed by this origin's console only; nothing else restricted (see above). */
export const EMBEDDABLE_CSP: Directives = { 'frame-ancestors': ["'self'"] };

export const HSTS = 'max-age=31536000; includeSubDomains';

export function serializeCsp(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

const isEmbeddable = (contentType: unknown) =>
  typeof contentType === 'string' && /^(application\/pdf|image\/)/i.test(contentType);

export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: Object.fromEntries(Object.entries(APP_CSP).map(([k, v]) => [k, [...v]])),
    },
    // HSTS is set below, only over TLS.
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    if (request.routeOptions.url === '/verify/:token') {
      reply.header('content-security-policy', serializeCsp(VERIFY_PAGE_CSP));
    } else if (isEmbeddable(reply.getHeader('content-type'))) {
      reply
        .header('content-security-policy', serializeCsp(EMBEDDABLE_CSP))
        .header('x-frame-options', 'SAMEORIGIN');
    }
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    return payload;
  });
}

import * as crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * The browser-facing security headers of every answer (issue #11): a Content-Security-Policy the web app
 * and the API docs pass, nosniff, no framing by other sites, a strict referrer policy; and `no-store` on
 * every API answer, so no shared cache or browser history keeps a signed-in user's data or a token.
 *
 * What the pages need, checked against web/ and Swagger UI: scripts only from this origin (the web app is
 * a Vite bundle; the fallback landing page's one inline script is allowed by its hash); styles from this
 * origin plus inline style attributes (Leaflet and the map layers set them); images from this origin,
 * data: URLs (the favicon, Leaflet's icons) and blob:, plus the tile server when TILE_URL names one.
 */
export function securityHeaders(options: { tileUrl?: string | null; inlineScripts?: readonly string[] }): RequestHandler {
  const imgSrc = ["'self'", 'data:', 'blob:'];
  const tiles = tileOrigin(options.tileUrl);
  if (tiles) imgSrc.push(tiles);
  const scriptSrc = ["'self'", ...(options.inlineScripts ?? []).map(scriptHash)];
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc,
        objectSrc: ["'none'"],
        scriptSrc,
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        workerSrc: ["'self'", 'blob:'],
        // No upgrade-insecure-requests: a closed-network installation may well be plain http.
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // The consumer page embeds nothing cross-origin; tiles are plain images, which COEP would block.
    crossOriginEmbedderPolicy: false,
    // HSTS belongs to the TLS terminator in front (a plain-http installation must not send it).
    strictTransportSecurity: false,
  });
}

/** API answers are never cached: they are per caller (scope, redaction) and some carry tokens. */
export function noStoreForApi(req: Request, res: Response, next: NextFunction): void {
  if (req.path.startsWith('/api/v1/')) res.setHeader('Cache-Control', 'no-store');
  next();
}

/** `https://{s}.tile.example.org/{z}/{x}/{y}.png` → `https://*.tile.example.org`. */
export function tileOrigin(template: string | null | undefined): string | null {
  if (!template) return null;
  const match = /^(https?:\/\/[^/?#]+)/.exec(template);
  return match ? match[1]!.replace(/\{[a-z]+\}/g, '*') : null;
}

function scriptHash(source: string): string {
  return `'sha256-${crypto.createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/** The bodies of a page's inline <script> elements (no src), for their CSP hashes. */
export function inlineScriptsOf(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!);
}

import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { RequestRejected } from '../errors/request-rejected';

/** Deeper than any request body of the API (a batch of commands is about five levels). */
export const MAX_JSON_DEPTH = 64;

/**
 * The JSON body parser of the API. body-parser's own failures are http-errors with a `type`; Nest would turn
 * a parse error into a 400 carrying the parser's text and every other one (too large, bad charset, unknown
 * Content-Encoding) into a 500. Here each becomes a RequestRejected naming the problem, and a body nested
 * deeper than MAX_JSON_DEPTH is refused before recursive code (validation, canonical JSON) can overflow the stack.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (err?: unknown) => {
      if (err) return next(bodyRejection(err, limit));
      if (req.body !== undefined && depthExceeds(req.body, MAX_JSON_DEPTH))
        return next(new RequestRejected(400, 'BODY_TOO_DEEP', `request body nests deeper than ${MAX_JSON_DEPTH} levels`, { maxDepth: MAX_JSON_DEPTH }));
      next();
    });
}

/** Maps body-parser's error types; anything else (a stream already read) stays a server error. */
export function bodyRejection(err: unknown, limit: string): unknown {
  const type = (err as { type?: unknown } | null)?.type;
  switch (type) {
    case 'entity.too.large':
      return new RequestRejected(413, 'PAYLOAD_TOO_LARGE', `request body is larger than ${limit}`, { limit });
    case 'charset.unsupported':
      return new RequestRejected(415, 'UNSUPPORTED_CHARSET', 'request body must be UTF-8 JSON (Content-Type: application/json; charset=utf-8)', {
        charset: (err as { charset?: string }).charset ?? null,
      });
    case 'encoding.unsupported':
      return new RequestRejected(415, 'UNSUPPORTED_CONTENT_ENCODING', 'Content-Encoding must be identity, gzip, deflate or br', {
        encoding: headerValue((err as { encoding?: string }).encoding),
      });
    case 'entity.parse.failed': {
      const position = /position (\d+)/.exec(String((err as Error).message))?.[1];
      const topLevel = /^\s*[^\s{[]/.test(String((err as { body?: unknown }).body ?? ''));
      return new RequestRejected(
        400,
        'MALFORMED_JSON',
        topLevel ? 'request body must be a JSON object or array' : `request body is not valid JSON${position ? ` (at character ${position})` : ''}`,
        position && !topLevel ? { position: Number(position) } : {},
      );
    }
    case 'request.aborted':
    case 'request.size.invalid':
      return new RequestRejected(400, 'BODY_INCOMPLETE', 'request body ended before its Content-Length', {});
    default:
      // Any other client error of the parser (a corrupt gzip stream, say) is still the client's.
      if (isClientError(err)) return new RequestRejected(400, 'BODY_UNREADABLE', 'request body could not be read (is its Content-Encoding right?)', {});
      return err;
  }
}

const isClientError = (err: unknown): boolean => {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
};

const headerValue = (v: string | undefined) => (v === undefined ? null : v.slice(0, 64));

/** Iterative, so a hostile nesting cannot overflow the stack of the check itself. */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { ValidationError } from '../../../domain/shared/errors';
import { RequestRejected } from '../errors/request-rejected';

interface QueryRule {
  name: string;
  schema: { type?: string; enum?: unknown[]; pattern?: string; minimum?: number; maximum?: number; maxLength?: number };
}

interface Route {
  pattern: RegExp;
  /** How many path parameters the documented path has (0 = a literal path). */
  parameters: number;
  operations: Map<string, QueryRule[]>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * What the OpenAPI document promises about a request, kept by the server for every route at once:
 * a method the path does not take is 405 with `Allow` (Express would answer 404, as if the path did not
 * exist), and a query parameter outside its documented type or enum is a 400 naming it (a controller
 * that ignored `?status=nonsense` answered an empty list as if it were a filter). The table is the
 * document's paths, learnt once it is built; until then every request passes.
 */
export function documentedRoutes(): { middleware: (req: Request, res: Response, next: NextFunction) => void; learn(doc: OpenAPIObject): void } {
  let routes: Route[] = [];
  return {
    learn(doc) {
      routes = Object.entries(doc.paths).map(([path, item]) => ({
        parameters: (path.match(/\{/g) ?? []).length,
        pattern: new RegExp(`^${path.split(/(\{[^}]+\})/).map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('')}/?$`),
        operations: new Map(
          Object.entries(item as Record<string, { parameters?: { in: string; name: string; schema?: QueryRule['schema'] }[] }>)
            .filter(([method]) => METHODS.includes(method))
            .map(([method, op]) => [method.toUpperCase(), (op.parameters ?? []).filter((p) => p.in === 'query' && p.schema).map((p) => ({ name: p.name, schema: p.schema! }))]),
        ),
      }));
    },
    middleware(req, res, next) {
      const matching = routes.filter((r) => r.pattern.test(req.path));
      if (matching.length === 0) return next();
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const route = matching.find((r) => r.operations.has(method));
      if (!route) {
        // The most specific documented paths (fewest parameters) name the resource: `records/export` is not
        // `records/{id}`, so PUT on the latter is not advertised for the former.
        const fewest = Math.min(...matching.map((r) => r.parameters));
        const allowed = [...new Set(matching.filter((r) => r.parameters === fewest).flatMap((r) => [...r.operations.keys()]))];
        if (allowed.includes('GET')) allowed.push('HEAD');
        res.setHeader('Allow', allowed.join(', '));
        return next(new RequestRejected(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here; allowed: ${allowed.join(', ')}`, { allowed }));
      }
      const query = req.query as Record<string, unknown>;
      for (const { name, schema } of route.operations.get(method)!) {
        const value = query[name];
        if (typeof value !== 'string') continue; // absent (required ones are the handler's), or repeated (singleValuedQuery)
        const problem = queryProblem(value, schema);
        if (problem) return next(new ValidationError(name, `${name}: ${problem}`, { issues: [{ field: name, message: problem }] }));
      }
      next();
    },
  };
}

function queryProblem(value: string, schema: QueryRule['schema']): string | null {
  if (schema.enum && !schema.enum.map(String).includes(value)) return `must be one of ${schema.enum.join(', ')}`;
  if (schema.type === 'integer' && !/^-?\d+$/.test(value)) return 'must be an integer';
  if (schema.type === 'number' && (value.trim() === '' || !Number.isFinite(Number(value)))) return 'must be a number';
  if (schema.type === 'boolean' && value !== 'true' && value !== 'false') return 'must be true or false';
  if ((schema.type === 'integer' || schema.type === 'number') && schema.minimum !== undefined && Number(value) < schema.minimum) return `must be at least ${schema.minimum}`;
  if ((schema.type === 'integer' || schema.type === 'number') && schema.maximum !== undefined && Number(value) > schema.maximum) return `must be at most ${schema.maximum}`;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return `must be at most ${schema.maxLength} characters`;
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return `must match ${schema.pattern}`;
  return null;
}

import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ApiBearerAuth, type OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { PERMISSION_KEY } from '../auth/permission.decorator';
import { RequestRejected } from '../errors/request-rejected';

export const BEARER = 'bearer';
/** @nestjs/swagger's metadata key of @ApiSecurity / @ApiBearerAuth (DECORATORS.API_SECURITY, not exported by name). */
const API_SECURITY = 'swagger/apiSecurity';

/**
 * Marks every route that is not @Public() as needing the bearer token in the OpenAPI document, and every
 * public one as open, from the same metadata the AuthGuard reads: the document cannot claim a route is open
 * that the guard closes, or the reverse (a controller-level @ApiBearerAuth would also cover its login).
 * Must run before SwaggerModule.createDocument.
 */
export function declareBearerAuth(app: INestApplication): void {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller?.prototype) continue;
      const controllerPermission: unknown = Reflect.getMetadata(PERMISSION_KEY, controller);
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const descriptor = Object.getOwnPropertyDescriptor(controller.prototype, name);
        const handler: unknown = descriptor?.value;
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const permission: unknown = Reflect.getMetadata(PERMISSION_KEY, handler) ?? controllerPermission;
        if (permission === 'public') {
          // Open to anyone (a token is accepted and ignored): `[{}]` also overrides a class-level @ApiBearerAuth.
          Reflect.defineMetadata(API_SECURITY, [{}], handler);
          continue;
        }
        // Once per handler, however many apps a process builds (the test suites build many).
        const declared = (Reflect.getMetadata(API_SECURITY, handler) as Record<string, unknown>[] | undefined) ?? [];
        if (!declared.some((requirement) => BEARER in requirement)) ApiBearerAuth(BEARER)(controller.prototype, name, descriptor!);
      }
    }
  }
}

/**
 * A public operation's security is `[{}]` alone: Swagger merges a controller-level @ApiBearerAuth into it
 * as an alternative (`[{bearer: []}, {}]`, "bearer or nothing"), which says the same but reads as if the
 * token counted. Runs after SwaggerModule.createDocument.
 */
export function tidySecurity(doc: OpenAPIObject): void {
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item as Record<string, { security?: Record<string, unknown>[] }>))
      if (op?.security?.some((requirement) => Object.keys(requirement).length === 0)) op.security = [{}];
}

/**
 * 405 with `Allow` for a method a documented path does not take (Express would answer 404, as if the path
 * did not exist). The table is the OpenAPI document's paths, filled once it is built.
 */
export function methodNotAllowed(): { middleware: (req: Request, res: Response, next: NextFunction) => void; learn(doc: OpenAPIObject): void } {
  let routes: { pattern: RegExp; methods: Set<string> }[] = [];
  return {
    learn(doc) {
      routes = Object.entries(doc.paths).map(([path, item]) => ({
        pattern: new RegExp(`^${path.split(/(\{[^}]+\})/).map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('')}/?$`),
        methods: new Set(Object.keys(item as object).filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m)).map((m) => m.toUpperCase())),
      }));
    },
    middleware(req, res, next) {
      const matching = routes.filter((r) => r.pattern.test(req.path));
      if (matching.length === 0) return next();
      const allowed = new Set(matching.flatMap((r) => [...r.methods]));
      if (allowed.has('GET')) allowed.add('HEAD');
      if (allowed.has(req.method)) return next();
      res.setHeader('Allow', [...allowed].join(', '));
      next(new RequestRejected(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here; allowed: ${[...allowed].join(', ')}`, { allowed: [...allowed] }));
    },
  };
}

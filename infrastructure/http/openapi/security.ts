import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ApiBearerAuth, type OpenAPIObject } from '@nestjs/swagger';
import { can, type Permission } from '../../../domain/accounts';
import { PERMISSION_KEY } from '../auth/permission.decorator';
import { ANONYMOUS } from '../auth/request-identity';

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
        // Open to anyone: @Public(), or a permission the anonymous caller holds (GET /auth/me answers "anonymous").
        if (permission === 'public' || (typeof permission === 'string' && can(ANONYMOUS.role, permission as Permission))) {
          // A token is accepted, not needed: `[{}]` (tidySecurity drops a class-level @ApiBearerAuth beside it).
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

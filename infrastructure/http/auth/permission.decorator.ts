import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { Permission } from '../../../domain/accounts';
import { SensitiveReadLogInterceptor } from './access-log.interceptor';

export const PERMISSION_KEY = 'suyuan:permission';
export const SENSITIVE_KEY = 'suyuan:sensitive-read';
export const BEFORE_PASSWORD_CHANGE_KEY = 'suyuan:before-password-change';

/** The permission a route needs. Routes without one are refused (deny by default). */
export const Requires = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);
/** Anyone, signed in or not (still rate-limited where it matters). */
export const Public = () => SetMetadata(PERMISSION_KEY, 'public');
/**
 * A read of personal or business data that goes into the access log (seed 004 log service): the answer
 * by the interceptor bound here, a failure below 500 by the exception filter.
 */
export const SensitiveRead = () => applyDecorators(SetMetadata(SENSITIVE_KEY, true), UseInterceptors(SensitiveReadLogInterceptor));
/**
 * A route a token of an account that must change its password still opens (only /auth/password and /auth/me):
 * every other signed-in route answers 403 PASSWORD_CHANGE_REQUIRED until the password is changed.
 */
export const AllowedBeforePasswordChange = () => SetMetadata(BEFORE_PASSWORD_CHANGE_KEY, true);

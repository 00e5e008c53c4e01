import { z } from 'zod';
import { documentBody } from '../openapi/request-schemas';
import { NonEmpty } from '../shared-schemas';

export const LoginBody = documentBody('post', '/api/v1/auth/login', z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(128) }));
export const ChangePasswordBody = documentBody(
  'post',
  '/api/v1/auth/password',
  z.object({ currentPassword: z.string().min(1).max(128), newPassword: z.string().min(1).max(128) }),
);
export const CreateAccountBody = documentBody(
  'post',
  '/api/v1/accounts',
  z.object({
    commandId: z.string().min(8).max(128).optional(),
    username: z.string().min(3).max(64),
    password: z.string().min(1).max(128),
    displayName: NonEmpty(100),
    role: z.enum(['province-admin', 'city-admin', 'county-admin', 'township-admin', 'supervisor', 'inspector', 'lab', 'enforcement', 'auditor']),
    regionCode: z.string().regex(/^\d{0,12}$/, 'must be a GB/T 2260 region prefix'),
    orgName: NonEmpty(100),
  }),
);

import type { OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * The zod schemas that validate request bodies are the single source of truth; they are also published
 * in the OpenAPI document (zod 4's JSON Schema output), so docs and validation cannot drift apart.
 */
const bodies: { method: string; path: string; schema: z.ZodType; summary?: string }[] = [];

export function documentBody<S extends z.ZodType>(method: 'post' | 'put' | 'patch', path: string, schema: S): S {
  bodies.push({ method, path, schema });
  return schema;
}

const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: { type: 'string', example: 'VALIDATION_FAILED' },
    message: { type: 'string' },
    details: { type: 'object', properties: { field: { type: 'string' } } },
  },
};

export function addRequestSchemas(doc: OpenAPIObject): void {
  for (const { method, path, schema } of bodies) {
    const op = (doc.paths[path] as Record<string, any> | undefined)?.[method];
    if (!op) continue;
    const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' });
    // A body whose fields are all optional may be left out (`POST …/approve` with nothing to add).
    op.requestBody = { required: Array.isArray(json.required) && json.required.length > 0, content: { 'application/json': { schema: json } } };
  }
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item as Record<string, any>)) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      op.responses['4XX'] ??= { description: 'Bad input, unknown id or wrong state', content: { 'application/json': { schema: ERROR_SCHEMA } } };
    }
  }
}

// The OpenAPI 3.1 document, generated from the same route table and zod schemas that validate
// requests, and a small self-contained page to browse it (no CDN: machines may be offline).
import { z } from 'zod';
import { ApiErrorBody, IDEMPOTENCY_HEADER, permissions } from '@huitou/schemas/http';
import type { Route } from './route.ts';

type Json = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Json;
  return rest;
};

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema || !(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !field.safeParse(undefined).success,
    schema: jsonSchema(field, 'input'),
  }));
}

/** docs/api.md § Idempotent campaign writes. */
const idempotencyKeyParameter: Json = {
  name: IDEMPOTENCY_HEADER,
  in: 'header',
  required: false,
  description: 'Retries with the same key and request get the first answer; 1–255 visible ASCII characters',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
};

export function openApiDocument(routes: readonly Route[]): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const operation: Json = {
      operationId: `${r.method}${openApiPath(r.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: r.summary,
      tags: [r.tag],
      security: [{ apiKey: [] }],
      'x-permission': r.permission,
      'x-roles': permissions[r.permission],
      parameters: [
        ...parameters(r.params, 'path'),
        ...parameters(r.query, 'query'),
        ...(r.idempotent ? [idempotencyKeyParameter] : []),
      ],
      responses: {
        [String(r.status ?? 200)]: {
          description: 'success',
          content: {
            [r.produces ?? 'application/json']: {
              schema: r.produces ? { type: 'string' } : jsonSchema(r.response, 'output'),
            },
            ...(r.alsoProduces ? { [r.alsoProduces]: { schema: { type: 'string' } } } : {}),
          },
        },
        default: {
          description: 'error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
    if (r.body)
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: jsonSchema(r.body, 'input') } },
      };
    (paths[openApiPath(r.path)] ??= {})[r.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Huitou API',
      version: '1',
      description:
        'Customer journeys for e-commerce shops. Authenticate with `Authorization: Bearer <API key>`; each operation lists the roles allowed (x-roles).',
    },
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key created by an admin (POST /api/keys)' },
      },
      schemas: { Error: jsonSchema(ApiErrorBody, 'output') },
    },
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One page: every operation with its roles, parameters and schemas (collapsible JSON). */
export function docsPage(document: Json): string {
  const paths = document.paths as Record<string, Record<string, Json>>;
  const ops: string[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const responses = op.responses as Record<string, { content?: Record<string, { schema: unknown }> }>;
      const success = Object.entries(responses).find(([code]) => code !== 'default');
      const block = (title: string, value: unknown) =>
        value === undefined
          ? ''
          : `<details><summary>${title}</summary><pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre></details>`;
      ops.push(`<section id="${escapeHtml(String(op.operationId))}">
  <h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
  <p>${escapeHtml(String(op.summary))} <small>roles: ${escapeHtml((op['x-roles'] as string[]).join(', '))}</small></p>
  ${block('parameters', (op.parameters as unknown[]).length ? op.parameters : undefined)}
  ${block('request body', (op.requestBody as Json | undefined)?.content)}
  ${block(`response ${success?.[0] ?? ''}`, success?.[1].content)}
</section>`);
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Huitou API</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#222}
section{border-top:1px solid #ddd;padding:.5rem 0}h3{margin:.3rem 0;font-size:15px}
.m{display:inline-block;min-width:4.5em;text-align:center;border-radius:3px;color:#fff;font-size:12px;padding:1px 4px}
.get{background:#2b7bb9}.post{background:#3a9a4a}.put,.patch{background:#c7831f}.delete{background:#c0392b}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:12px}small{color:#777;margin-left:1em}
</style></head><body>
<h1>Huitou API</h1>
<p>${escapeHtml(String((document.info as Json).description))} Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Try the routes with your API key: <a href="/api/docs/try-it">/api/docs/try-it</a>.</p>
${ops.join('\n')}
</body></html>`;
}

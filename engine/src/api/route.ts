// Routes are data: method, path, permission, zod schemas and a handler. The app mounts them, the
// OpenAPI document is generated from them, and the role-matrix test walks them.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Permission } from '@huitou/schemas/http';
import type { Principal } from './auth.ts';
import type { ApiDeps } from './deps.ts';
import type { Idempotency } from './idempotency.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  deps: ApiDeps;
  req: Request;
  res: Response;
  /** On routes marked idempotent, when the request carries an Idempotency-Key. */
  idempotency?: Idempotency;
}

/** A JSON answer with another status than the route's (e.g. 200 "already there" on a 201 route). */
export class WithStatus<T> {
  constructor(
    readonly status: number,
    readonly body: T,
  ) {}
}

/** Opens every CSV the API exports (UTF-8 byte order mark), so Excel reads it as UTF-8. */
export const CSV_BOM = '\uFEFF';

/** A non-JSON answer (CSV export); bypasses response validation. A text/csv body is sent after CSV_BOM. */
export class RawResponse {
  constructor(
    readonly contentType: string,
    readonly body: string,
    readonly filename?: string,
  ) {}
}

export interface Route {
  method: Method;
  /** Express style, e.g. /api/journeys/:id */
  path: string;
  summary: string;
  tag: string;
  permission: Permission;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  /** Success status (default 200). */
  status?: number;
  /** Media type of a RawResponse, for the document. */
  produces?: string;
  /** A second media type the route answers in (a RawResponse) besides its JSON. */
  alsoProduces?: string;
  /** Honours the Idempotency-Key header (api/idempotency.ts). */
  idempotent?: boolean;
  /** A vendor callback: the API key may come as `?key=` (masked in logs) when no header can be set. */
  keyInQuery?: boolean;
  handler: (ctx: RouteContext<unknown, unknown, unknown>) => Promise<unknown>;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** Typed on its schemas; erased to Route for the table. */
export function route<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
>(def: {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  permission: Permission;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  status?: number;
  produces?: string;
  alsoProduces?: string;
  idempotent?: boolean;
  keyInQuery?: boolean;
  handler: (ctx: RouteContext<Out<P>, Out<Q>, Out<B>>) => Promise<z.input<R> | WithStatus<z.input<R>> | RawResponse>;
}): Route {
  return def as unknown as Route;
}

// Path ids and listing limits are part of the API's schemas; re-exported for the routes here.
export { IdParams, Limit } from '@huitou/schemas/http';

/** Path parameters that are uuids: a malformed id is a 404 (nothing has it), never a SQL error. */
export const isUuid = (s: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

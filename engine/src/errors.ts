// Errors that are the client's fault, with the status and field path the API answers with. The
// work a request runs outside api/ (a CSV import streaming its body) throws them too; the API's
// handler (api/errors.ts) turns them into responses.
export type ErrorPath = (string | number)[];

export interface ErrorBody {
  error: { status: number; code: string; path: ErrorPath; message: string; details?: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path: ErrorPath = [],
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorBody {
    const error: ErrorBody['error'] = { status: this.status, code: this.code, path: this.path, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

export const notFound = (what: string, path: ErrorPath = []) =>
  new ApiError(404, 'not_found', `${what} not found`, path);
export const conflict = (message: string, path: ErrorPath = []) => new ApiError(409, 'conflict', message, path);
export const unprocessable = (code: string, message: string, path: ErrorPath = [], details?: unknown) =>
  new ApiError(422, code, message, path, details);

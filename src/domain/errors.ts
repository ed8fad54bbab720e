/** Contentful's error ids and the HTTP status each one answers with. */
export const errorStatus = {
  BadRequest: 400,
  InvalidQuery: 400,
  AccessTokenInvalid: 401,
  /** Web app sign-in with a wrong email address or password (not a Contentful API id: its sign-in is a web page). */
  InvalidCredentials: 401,
  AccessDenied: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  VersionMismatch: 409,
  Conflict: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  RangeNotSatisfiable: 416,
  UnknownField: 422,
  ValidationFailed: 422,
  InvalidEntry: 422,
  UnresolvedLinks: 422,
  UnprocessableEntity: 422,
  RateLimitExceeded: 429,
  ServerError: 500,
  ServiceUnavailable: 503,
} as const;

export type ErrorId = keyof typeof errorStatus;

/** A failure the client should see, in Contentful's shape. Services throw these; the error handler renders them. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly id: ErrorId,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = errorStatus[id];
  }

  toBody(requestId: string) {
    return {
      sys: { type: 'Error', id: this.id },
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
      requestId,
    };
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) => new ApiError('BadRequest', message, details);

export const invalidQuery = (message: string, details?: Record<string, unknown>) => new ApiError('InvalidQuery', message, details);

export const accessDenied = (message = 'Access denied', details?: Record<string, unknown>) =>
  new ApiError('AccessDenied', message, details);

export const notFound = (type: string, id?: string) =>
  new ApiError('NotFound', 'The resource could not be found.', { type, ...(id !== undefined ? { id } : {}) });

export const versionMismatch = (type: string, id: string) => new ApiError('VersionMismatch', 'Version mismatch', { type, id });

/** One entry of `details.errors` on a 422, as Contentful words them. */
export interface ValidationErrorItem {
  name: string;
  path: (string | number)[];
  details?: string;
  value?: unknown;
  [extra: string]: unknown;
}

export const validationFailed = (errors: ValidationErrorItem[], message = 'Validation error') =>
  new ApiError('ValidationFailed', message, { errors });

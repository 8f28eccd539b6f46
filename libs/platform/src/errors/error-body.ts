import { HttpException, HttpStatus } from '@nestjs/common';

/** The one error shape of the whole system, over HTTP and over RPC. */
export interface ErrorBody {
  statusCode: number;
  /** The HTTP reason phrase, e.g. "Conflict". */
  error: string;
  /** A stable machine-readable code, e.g. USERNAME_TAKEN. */
  code: string;
  message: string;
  details?: unknown;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? HttpStatus[status]?.toString() ?? 'Error';
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/**
 * An expected failure with a status, a stable code and optional details. Throw it from any
 * module: it keeps its status and body across the RPC boundary and out to the HTTP caller.
 */
export class AppError extends HttpException {
  constructor(statusCode: number, code: string, message: string, details?: unknown) {
    const body: ErrorBody = { statusCode, error: reasonPhrase(statusCode), code, message };
    if (details !== undefined) body.details = details;
    super(body, statusCode);
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.statusCode === 'number' && typeof v.message === 'string';
}

/** Normalises any HttpException (ours or Nest's own) into the error shape. */
export function httpExceptionToBody(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (isErrorBody(response) && typeof response.code === 'string') {
    return { ...response, statusCode: status, error: reasonPhrase(status) };
  }
  const raw =
    typeof response === 'string' ? { message: response } : (response as Record<string, unknown>);
  const message = Array.isArray(raw.message)
    ? raw.message.join('; ')
    : typeof raw.message === 'string'
      ? raw.message
      : exception.message;
  const body: ErrorBody = {
    statusCode: status,
    error: reasonPhrase(status),
    code: DEFAULT_CODES[status] ?? `HTTP_${status}`,
    message,
  };
  if (raw.details !== undefined) body.details = raw.details;
  return body;
}

export function internalErrorBody(): ErrorBody {
  return {
    statusCode: 500,
    error: reasonPhrase(500),
    code: 'INTERNAL',
    message: 'Internal server error',
  };
}

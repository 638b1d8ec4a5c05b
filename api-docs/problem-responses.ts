/**
 * The problem+json answers (RFC 9457) every operation may give, documented once in
 * `components` with an example each, and referenced from each operation by what the operation
 * can meet: 400 when it takes input, 401/403 unless public, 404 when the path names a thing,
 * 409 for commands, 413 when it takes a body, 429 everywhere (rate limits).
 */
export const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details. Extension members (`code`, `position`, ...) may appear beside the standard ones.',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', description: 'A URI naming the kind of problem (`about:blank` or `urn:stocktide:problem:<code>`)' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    code: { type: 'string', description: 'A stable machine-readable code for business rules' },
    errors: {
      type: 'array',
      description: 'On 400: what is wrong, one entry per field (Ajv messages); `instancePath` or `params` names the field',
      items: {
        type: 'object',
        properties: {
          instancePath: { type: 'string' },
          keyword: { type: 'string' },
          message: { type: 'string' },
          params: { type: 'object', additionalProperties: true },
        },
        additionalProperties: true,
      },
    },
  },
  additionalProperties: true,
} as const;

interface ProblemAnswer {
  readonly name: string;
  readonly description: string;
  readonly example: Record<string, unknown>;
  readonly headers?: Record<string, unknown>;
}

export const PROBLEM_ANSWERS: Readonly<Record<400 | 401 | 403 | 404 | 409 | 413 | 429, ProblemAnswer>> = {
  400: {
    name: 'BadRequest', description: 'Bad input: the `errors` name each field. Nothing was appended or started.',
    example: {
      type: 'about:blank', title: 'Bad Request', status: 400, detail: 'querystring/limit must be <= 1000',
      errors: [{ instancePath: '/limit', keyword: 'maximum', message: 'must be <= 1000', params: { comparison: '<=', limit: 1000 } }],
    },
  },
  401: {
    name: 'Unauthorized', description: 'No credentials, or a token or session that is unknown or expired.',
    example: { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'missing credentials: send Authorization: Bearer <token>' },
    headers: { 'WWW-Authenticate': { description: 'Bearer realm="stocktide"', schema: { type: 'string' } } },
  },
  403: {
    name: 'Forbidden', description: 'The caller\'s role or locations do not allow this.',
    example: { type: 'urn:stocktide:problem:role-not-allowed', title: 'Forbidden', status: 403, detail: 'role staff may not call this route', code: 'role-not-allowed' },
  },
  404: {
    name: 'NotFound', description: 'The thing the path names does not exist (or is not visible to the caller).',
    example: { type: 'urn:stocktide:problem:transfer-not-found', title: 'Not Found', status: 404, detail: 'transfer T-42 does not exist', code: 'transfer-not-found' },
  },
  409: {
    name: 'Conflict', description: 'A business rule or a concurrent change refused the command; nothing was appended.',
    example: {
      type: 'urn:stocktide:problem:insufficient-stock', title: 'Conflict', status: 409,
      detail: 'line SKU-1 asks 12 but the origin has 5', code: 'insufficient-stock',
    },
  },
  413: {
    name: 'ContentTooLarge', description: 'The body exceeds the route\'s limit (1 MiB; 10 MiB for CSV imports).',
    example: { type: 'about:blank', title: 'Content Too Large', status: 413, detail: 'Request body is too large' },
  },
  429: {
    name: 'TooManyRequests', description: 'Too many requests from this caller in the current window: wait `Retry-After` seconds.',
    example: { type: 'urn:stocktide:problem:rate-limited', title: 'Too Many Requests', status: 429, detail: 'too many requests; retry in 1 minute' },
    headers: {
      'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
      'RateLimit-Limit': { description: 'Requests allowed per window (IETF draft RateLimit fields, on every answer past the access check)', schema: { type: 'integer' } },
      'RateLimit-Remaining': { description: 'Requests left in the current window', schema: { type: 'integer' } },
      'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
    },
  },
};

export type ProblemStatus = keyof typeof PROBLEM_ANSWERS;

/** `components.responses` for the document. */
export function problemComponents(): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [, answer] of Object.entries(PROBLEM_ANSWERS)) {
    responses[answer.name] = {
      description: answer.description,
      ...(answer.headers ? { headers: answer.headers } : {}),
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, example: answer.example } },
    };
  }
  return responses;
}

/** Which problems an operation can answer, from its method, path and parameters. */
export function problemsOf(method: string, path: string, operation: { parameters?: unknown[]; requestBody?: unknown; security?: unknown[] }): ProblemStatus[] {
  const statuses: ProblemStatus[] = [];
  const takesInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
  if (takesInput) statuses.push(400);
  const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
  if (!isPublic) statuses.push(401, 403);
  if (path.includes('{')) statuses.push(404);
  if (method !== 'get') statuses.push(409);
  if (operation.requestBody !== undefined) statuses.push(413);
  statuses.push(429);
  return statuses;
}

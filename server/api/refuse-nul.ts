import type { RequestHandler } from 'express';
import { HttpError } from './http-error.js';

// PostgreSQL text cannot hold U+0000: a NUL anywhere in a request used to reach the database and answer 500 (16+
// endpoints under fuzzing), or be stored in an activity's input and fail it on every retry. It is refused here,
// once, before any route sees the request: in the URL (path or query, raw or %-encoded) and in any JSON string or
// key of the body. Raw bodies (CSV import) are checked by their reader.

const NUL_IN_URL = /%00|\u0000/i;

function findNul(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : undefined;
  if (depth > 64 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return at;
    const found = findNul(child, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export const refuseNul: RequestHandler = (req, _res, next) => {
  if (NUL_IN_URL.test(req.originalUrl)) {
    return next(
      new HttpError(400, 'invalid_character', 'The address contains a NUL character (%00), which no value may hold'),
    );
  }
  const where = findNul(req.body, '');
  if (where) {
    return next(
      new HttpError(400, 'invalid_character', `${where}: contains a NUL character (\\u0000), which no value may hold`, [
        { path: where, code: 'invalid_character', message: 'contains a NUL character (\\u0000)' },
      ]),
    );
  }
  next();
};

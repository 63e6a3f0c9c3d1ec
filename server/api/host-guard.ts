import type { RequestHandler } from 'express';
import type { LoadedConfig } from '../config.js';
import { HttpError } from './http-error.js';

// Requests are answered only under the names Stayflow is reached by: PUBLIC_URL's host, ALLOWED_HOSTS, and the
// loopback names on the port the request came in on (so `npm start` works at 127.0.0.1 and localhost, and a
// container's own health check works). Any other Host is a misdirected request — or DNS rebinding, where a page on
// another site points its own name at this server to read it with the visitor's browser — and gets 421.

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function hostGuard(config: Pick<LoadedConfig, 'PUBLIC_URL' | 'allowedHosts'>): RequestHandler {
  const publicUrl = config.PUBLIC_URL ? new URL(config.PUBLIC_URL) : undefined;
  return (req, res, next) => {
    const host = (req.headers.host ?? '').toLowerCase();
    const port = req.socket.localPort;
    const loopback = LOOPBACK_NAMES.some((name) => host === `${name}:${port}` || (port === 80 && host === name));
    if (publicUrl && host === publicUrl.host) {
      res.locals.origin = publicUrl.origin;
    } else if (loopback || config.allowedHosts.includes(host)) {
      res.locals.origin = `${req.protocol}://${host}`;
    } else {
      next(
        new HttpError(
          421,
          'unknown_host',
          `This server does not answer for the host '${host || '(none)'}' (PUBLIC_URL and ALLOWED_HOSTS name the ones it does)`,
        ),
      );
      return;
    }
    next();
  };
}

// The request log never holds a credential: Authorization and Cookie headers (and the CSRF token) on the way in,
// Set-Cookie on the way out, and the signed tokens in email links' paths (each is an unsubscribe capability).

const SECRET_HEADERS = ['authorization', 'cookie', 'x-csrf-token', 'set-cookie', 'proxy-authorization'];
const LINK_PATH = /^\/([uro])\/[^/?#]+/;

function redactHeaders(headers: Record<string, unknown> | undefined) {
  if (!headers) return headers;
  const copy = { ...headers };
  for (const name of SECRET_HEADERS) if (name in copy) copy[name] = '[redacted]';
  return copy;
}

export const redactedSerializers = {
  req(req: { url?: string; headers?: Record<string, unknown> } & Record<string, unknown>) {
    return { ...req, url: req.url?.replace(LINK_PATH, '/$1/[redacted]'), headers: redactHeaders(req.headers) };
  },
  res(res: { headers?: Record<string, unknown> } & Record<string, unknown>) {
    return { ...res, headers: redactHeaders(res.headers) };
  },
};

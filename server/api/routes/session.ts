import type { CookieOptions, Response } from 'express';
import { z } from 'zod';
import { User } from '../../../engine/people/user.js';
import type { Authentication } from '../../auth/authenticate.js';
import { endSession } from '../../auth/sessions.js';
import { signIn } from '../../auth/sign-in.js';
import { findUserRow, toUser } from '../../auth/users.js';
import type { AppContext } from '../../context.js';
import { DomainError } from '../../errors.js';
import type { AuthSettings } from '../../auth/authenticate.js';
import { route } from '../route.js';
import { EVERYONE } from '../roles.js';

// Signing in and out with a session cookie (the web app). API clients use tokens instead.

const SessionInfo = z
  .object({
    user: User,
    csrfToken: z.string().meta({ description: 'Send it as X-CSRF-Token on every POST, PUT, PATCH and DELETE.' }),
    expiresAt: z.iso.datetime().meta({ description: 'When the session ends if unused from now (idle or absolute).' }),
  })
  .meta({ id: 'Session' });

const Credentials = z.strictObject({
  email: z.string().trim().min(1, { error: 'is required' }).max(254),
  password: z.string().min(1, { error: 'is required' }).max(1024),
});

/** The session cookie's attributes: httpOnly, SameSite=Lax, Secure under https, the whole site as its path. */
export function sessionCookie(publicUrl: string): { name: string; options: CookieOptions } {
  const secure = new URL(publicUrl).protocol === 'https:';
  // __Host- makes browsers refuse the cookie unless Secure, path / and no Domain: no subdomain can set or shadow it.
  return {
    name: secure ? '__Host-stayflow_session' : 'stayflow_session',
    options: { httpOnly: true, sameSite: 'lax', secure, path: '/' },
  };
}

export const sessionRoutes = (ctx: AppContext, auth: AuthSettings) => {
  const cookie = sessionCookie(ctx.config.publicUrl);
  const clear = (res: Response) => res.clearCookie(cookie.name, cookie.options);
  return [
    route({
      method: 'post',
      path: '/api/session',
      tag: 'people',
      access: { public: 'signing in is how a person gets a session' },
      summary:
        'Signs in with email and password: sets the session cookie (httpOnly, SameSite=Lax) and answers the user and the CSRF token. 401 for a wrong email or password (the same message for both), 429 after too many failures.',
      body: Credentials,
      response: SessionInfo,
      errors: [401, 403, 429],
      async handler({ body, req, res }) {
        // Login CSRF: another site must not sign a visitor in to an account of its choosing.
        const site = req.get('sec-fetch-site');
        const origin = req.get('origin');
        if ((site !== undefined && site !== 'same-origin') || (origin !== undefined && origin !== res.locals.origin)) {
          throw new DomainError('forbidden', 'csrf', 'Refused: sign in from Stayflow’s own page');
        }
        const { user, session } = await signIn(
          auth.db,
          { ...body, ip: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null },
          auth.session,
        );
        res.cookie(cookie.name, session.secret, { ...cookie.options, expires: session.expiresAt });
        return { user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
      },
    }),
    route({
      method: 'get',
      path: '/api/session',
      tag: 'people',
      access: { roles: EVERYONE },
      summary: 'The signed-in user, the CSRF token of the session and when it ends. 401 when not signed in.',
      response: SessionInfo,
      async handler({ res, principal }) {
        const { live } = res.locals.authentication as Authentication;
        if (!live || principal?.kind !== 'user') throw new DomainError('unauthenticated', 'unauthorized', 'Sign in');
        return {
          user: toUser(await findUserRow(auth.db, principal.userId)),
          csrfToken: live.session.csrf_token,
          expiresAt: live.endsAt.toISOString(),
        };
      },
    }),
    route({
      method: 'delete',
      path: '/api/session',
      tag: 'people',
      access: { roles: EVERYONE },
      summary: 'Signs out: the session ends on the server and the cookie is cleared.',
      response: z.object({ signedOut: z.literal(true) }),
      async handler({ res }) {
        const { live } = res.locals.authentication as Authentication;
        if (live) await endSession(auth.db, live.session.id);
        clear(res);
        return { signedOut: true as const };
      },
    }),
  ];
};

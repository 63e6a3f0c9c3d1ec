import type { AuthSettings } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { sessionCookie } from './routes/session.js';

/** How this app recognises callers: the session cookie and its timeouts, the clock, the local operator token. */
export function authSettings(ctx: AppContext): AuthSettings {
  return {
    db: ctx.database.db,
    cookieName: sessionCookie(ctx.config.publicUrl).name,
    session: {
      idleMs: ctx.config.SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: ctx.config.SESSION_MAX_HOURS * 3_600_000,
      now: () => ctx.now?.() ?? new Date(),
    },
    operator: ctx.operator,
  };
}

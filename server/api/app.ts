import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import swaggerUiDist from 'swagger-ui-dist';
import type { AppContext } from '../context.js';
import { packageRoot } from '../package-root.js';
import { HttpError, sendProblem, toHttpError } from './http-error.js';
import { openApiDocument } from './openapi.js';
import { mountRoutes, type Route } from './route.js';
import { healthRoutes } from './routes/health.js';
import { outboxRoutes } from './routes/outbox.js';
import { outboxSettleRoutes } from './routes/outbox-settle.js';
import { playbookRoutes } from './routes/playbooks.js';
import { migrationRoutes } from './routes/migrations.js';
import { runRoutes } from './routes/runs.js';
import { systemRoutes } from './routes/system.js';
import { templateRoutes } from './routes/templates.js';
import { eventRoutes } from './routes/events.js';
import { scorecardRoutes } from './routes/scorecard.js';
import { accountRoutes } from './routes/accounts.js';
import { accountFieldRoutes } from './routes/account-fields.js';
import { csmRoutes } from './routes/csms.js';
import { contactRoutes } from './routes/contacts.js';
import { emailLinkRoutes } from './routes/email-links.js';
import { enrollmentRoutes } from './routes/enrollment.js';
import { taskRoutes } from './routes/tasks.js';
import { approvalRoutes } from './routes/approvals.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { scorecardPreviewRoutes } from './routes/scorecard-preview.js';
import { sessionRoutes } from './routes/session.js';
import { userRoutes } from './routes/users.js';
import { tokenRoutes } from './routes/tokens.js';
import { auditRoutes } from './routes/audit.js';
import { settingsRoutes } from './routes/settings.js';
import { teamRoutes } from './routes/team.js';
import { referralRoutes } from './routes/referrals.js';
import { authSettings } from './auth-settings.js';
import { hostGuard } from './host-guard.js';
import { refuseNul } from './refuse-nul.js';
import { redactedSerializers } from './log-redaction.js';

const editorDist = path.join(packageRoot, 'editor', 'dist');

export function apiRoutes(ctx: AppContext): Route<never, never, never>[] {
  return [
    ...sessionRoutes(ctx, authSettings(ctx)),
    ...userRoutes(ctx),
    ...tokenRoutes(ctx),
    ...auditRoutes(ctx),
    ...teamRoutes(ctx),
    ...referralRoutes(ctx),
    ...healthRoutes(ctx),
    ...playbookRoutes(ctx),
    ...migrationRoutes(ctx),
    ...runRoutes(ctx),
    ...outboxRoutes(ctx),
    ...outboxSettleRoutes(ctx),
    ...systemRoutes(ctx),
    ...templateRoutes(ctx),
    ...eventRoutes(ctx),
    ...scorecardRoutes(ctx),
    ...accountRoutes(ctx),
    ...contactRoutes(ctx),
    ...accountFieldRoutes(ctx),
    ...csmRoutes(ctx),
    ...emailLinkRoutes(ctx),
    ...enrollmentRoutes(ctx),
    ...taskRoutes(ctx),
    ...approvalRoutes(ctx),
    ...deliveryRoutes(ctx),
    ...dashboardRoutes(ctx),
    ...scorecardPreviewRoutes(ctx),
    ...settingsRoutes(ctx),
  ] as Route<never, never, never>[];
}

export interface AppOptions {
  /** Replaces the route table's handlers (the access matrix test); the rules and schemas stay the table's own. */
  routes?: (routes: Route<never, never, never>[]) => Route<never, never, never>[];
}

export function createApp(ctx: AppContext, logger: Logger, opts: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (ctx.config.TRUST_PROXY !== undefined) app.set('trust proxy', trustProxy(ctx.config.TRUST_PROXY));
  app.use(
    pinoHttp({
      logger,
      serializers: redactedSerializers,
      autoLogging: { ignore: (req) => req.url === '/api/health' },
    }),
  );
  // Before anything answers, the docs and the editor included: see host-guard.ts (DNS rebinding).
  app.use(hostGuard(ctx.config));
  app.use(helmet());
  app.use(express.json({ limit: '1mb' }));
  // A NUL in the URL or any JSON string is refused here, once, for every route (see refuse-nul.ts).
  app.use(refuseNul);

  const routes = opts.routes ? opts.routes(apiRoutes(ctx)) : apiRoutes(ctx);
  const document = openApiDocument(routes, ctx.version);
  app.get('/api/openapi.json', (_req, res) => void res.json(document));
  app.use('/api/docs/assets', express.static(swaggerUiDist.getAbsoluteFSPath(), { index: false }));
  app.get('/api/docs/init.js', (_req, res) => {
    res
      .type('application/javascript')
      .send("window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', deepLinking: true });");
  });
  app.get('/api/docs', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stayflow API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div><script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`);
  });

  const api = express.Router();
  mountRoutes(api, routes, authSettings(ctx));
  app.use(api);
  app.use('/api', (req, _res, next) =>
    next(new HttpError(404, 'not_found', `No API route ${req.method} ${req.originalUrl}`)),
  );

  if (existsSync(editorDist)) {
    // Hashed assets never change under their name; index.html must be fetched fresh to pick up a new build.
    app.use('/assets', express.static(`${editorDist}/assets`, { immutable: true, maxAge: '1y', fallthrough: false }));
    app.use(express.static(editorDist, { index: false }));
    // The editor routes in the browser: a deep link (/playbooks/onboarding-30d) or a reload gets the app, which
    // then shows the screen. /api/* never gets here (its 404 above answers JSON).
    app.use((req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      res.set('cache-control', 'no-cache').sendFile(`${editorDist}/index.html`);
    });
  } else {
    app.get('/', (_req, res) => void res.type('html').send(landingPage(ctx)));
  }
  app.use(errorHandler);
  return app;
}

// Every error leaves as an RFC 9457 problem (http-error.ts); anything a client could cause maps to a 4xx.
const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const known = toHttpError(error);
  if (known.status >= 500) req.log.error({ err: error }, 'request failed');
  sendProblem(res, known, req.originalUrl.split('?')[0]!);
};

function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

function landingPage(ctx: AppContext): string {
  const links = [
    ['API documentation', '/api/docs'],
    ['Health', '/api/health'],
    ['Outbox (caught email)', '/api/outbox'],
    ...(ctx.temporalUiUrl ? [['Temporal Web UI', ctx.temporalUiUrl]] : []),
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stayflow</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>Stayflow</h1><p>Customer-success playbooks, run durably on Temporal.</p>
<ul>${links.map(([label, href]) => `<li><a href="${href}">${label}</a></li>`).join('')}</ul></body></html>`;
}

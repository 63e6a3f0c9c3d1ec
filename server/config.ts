import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';

// Every setting Stayflow reads, in one schema. `.env.example` documents the same names, and a test checks that
// docker-compose.yml only sets variables declared here. Unset external parts (Temporal, database, SMTP) mean
// "run the embedded one": that is what makes `npm start` work on a bare machine.

// 0 means "any free port" (the tests use it so parallel stacks never collide).
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A `whsec_` secret the Standard Webhooks library can decode (base64 after the prefix, not empty). */
function standardSecret(value: string): boolean {
  try {
    return Boolean(new Webhook(value));
  } catch {
    return false;
  }
}

const urlWithProtocols = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL like ${example}` },
  );

export const Config = z.object({
  STAYFLOW_ROLE: z
    .enum(['all', 'api', 'worker'])
    .default('all')
    .describe('Which processes to run here: all (one process), api (HTTP only) or worker (Temporal worker only).'),
  HOST: z.string().min(1).default('127.0.0.1').describe('Interface the API server listens on.'),
  PORT: port(3000).describe('Port of the API server and the editor.'),
  PUBLIC_URL: urlWithProtocols(['http:', 'https:'], 'https://stayflow.example.com')
    .optional()
    .describe('Address people reach Stayflow at (links in emails). Defaults to http://HOST:PORT.'),
  DATA_DIR: z
    .string()
    .min(1)
    .default('.data')
    .describe('Where the embedded parts keep their files (memory:// keeps nothing).'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: flag
    .optional()
    .describe('Logs as lines for a person (pino-pretty) instead of JSON. Unset: when stdout is a terminal.'),

  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port, like temporal.internal:7233')
    .optional()
    .describe('A Temporal frontend (host:port). Unset: Stayflow starts a Temporal dev server itself.'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('stayflow'),
  TEMPORAL_API_KEY: z.string().min(1).optional().describe('API key for Temporal Cloud (implies TLS).'),
  TEMPORAL_TLS: flag.default(false).describe('Connect to Temporal over TLS.'),
  TEMPORAL_TLS_CERT: z.string().min(1).optional().describe('Client certificate (PEM file) for mTLS.'),
  TEMPORAL_TLS_KEY: z.string().min(1).optional().describe('Client key (PEM file) for mTLS.'),
  TEMPORAL_DEV_PORT: port(7233).describe('Port of the embedded Temporal dev server.'),
  TEMPORAL_UI_PORT: port(8233).describe('Port of the embedded Temporal Web UI.'),
  TEMPORAL_UI_URL: urlWithProtocols(['http:', 'https:'], 'https://cloud.temporal.io')
    .optional()
    .describe('Where the Temporal Web UI is, for links to runs. Defaults to the embedded one.'),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number()
    .int()
    .min(0)
    // ≈ 0.24 MB a cached run; only runs that get their next task within seconds gain (docs/scaling.md, sticky cache).
    .default(200)
    .describe('Workflows a worker keeps in memory (sticky cache).'),
  IMPORT_HANDOFF_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1)
    // Each account handed off may start its workflow and enroll it: unpaced, a 10,000-row import queued ahead of
    // every other account's timely step. 50/s hands 10,000 accounts over in 3 min 20 s.
    .default(50)
    .describe('Accounts per second a CSV import hands to their workflows, which may start playbooks for them.'),
  SWEEP_HOUR_UTC: z.coerce
    .number()
    .int()
    .min(0)
    .max(23)
    .default(5)
    .describe('The hour (UTC) of the daily sweep: time-based risk signals and date-relative triggers.'),

  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user:pass@host:5432/stayflow')
    .optional()
    .describe('A PostgreSQL server. Unset: embedded PGlite under DATA_DIR.'),

  SMTP_URL: urlWithProtocols(['smtp:', 'smtps:'], 'smtp://user:pass@smtp.example.com:587')
    .optional()
    .describe('An SMTP relay. Unset: an in-process SMTP server catches every email (see the Outbox).'),
  SMTP_CATCHER_PORT: port(2525).describe('Port of the in-process SMTP catcher.'),
  SMTP_MESSAGE_LOOKUP_URL: urlWithProtocols(['http:', 'https:'], 'https://relay.example.com/messages')
    .optional()
    .describe(
      "With SMTP_URL: the relay's message lookup, asked GET <url>?messageId=<id> after a send cut off mid-transaction (200: it holds the email; 404: it never accepted it, so the email is sent again once the cut-off attempt cannot still be sending, so a search that lags must not answer 404; anything else: it cannot say). Unset: such an email is left uncertain for an operator to settle.",
    ),
  MAIL_FROM: z.string().min(3).default('Stayflow <success@stayflow.local>').describe('From address of emails.'),

  WEBHOOK_SECRET: z
    .string()
    .min(1)
    // The Standard Webhooks form is base64 after the prefix; anything else is used as it is (effects/signature.ts).
    .refine((v) => !v.startsWith('whsec_') || standardSecret(v), {
      message: 'after whsec_ must come base64 (e.g. whsec_$(openssl rand -base64 32))',
    })
    .optional()
    .describe(
      'Signs outbound webhooks the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature headers; HMAC-SHA256). whsec_<base64> or any string. Unset: webhooks go unsigned.',
    ),
  SLACK_WEBHOOK_URL: urlWithProtocols(['https:'], 'https://hooks.slack.com/services/T000/B000/XXXX')
    .optional()
    .describe('Slack incoming webhook for notify steps on the slack channel. Unset: those steps are skipped.'),

  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(120)
    .describe('A signed-in session unused this many minutes ends (sign in again).'),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24)
    .default(12)
    .describe('A session ends this many hours after sign-in, however busy.'),
  STAYFLOW_ADMIN_EMAIL: z
    .email({ message: 'must be an email address' })
    .optional()
    .describe('With STAYFLOW_ADMIN_PASSWORD: the first admin, created at start when there is no admin yet.'),
  STAYFLOW_ADMIN_PASSWORD: z
    .string()
    .min(12, { message: 'must be at least 12 characters' })
    .max(1024)
    .optional()
    .describe("The first admin's password (only read while there is no admin)."),
  STAYFLOW_BOOTSTRAP_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9._~+/=-]{32,256}$/, {
      message: 'must be 32 to 256 letters, digits or ._~+/=- (e.g. openssl rand -hex 32)',
    })
    .optional()
    .describe('An admin API token with exactly this value, made at start unless it was made (or revoked) before.'),
  ALLOWED_HOSTS: z
    .string()
    .optional()
    .describe(
      'Host names (host or host:port, comma-separated) the API answers besides PUBLIC_URL’s and localhost. Others get 421.',
    ),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|loopback|\d{1,2}|[0-9a-f.:/, ]+)$/i, {
      message: 'must be true, false, loopback, a hop count or addresses',
    })
    .optional()
    .describe('Express "trust proxy": set when a reverse proxy sets X-Forwarded-For, so sign-in limits see clients.'),
  OUTBOUND_ALLOW: z
    .string()
    .optional()
    .describe(
      'Webhook and Slack targets allowed although private or loopback: host names, addresses or CIDRs, comma-separated.',
    ),
  OUTBOUND_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('PEM file of extra CA certificates trusted for webhooks and Slack (beside the public ones).'),

  LINK_SECRET: z
    .string()
    .min(32, { message: 'must be at least 32 characters (e.g. openssl rand -hex 32)' })
    .optional()
    .describe(
      'Signs unsubscribe and click links in emails (HMAC-SHA256). Unset: a random secret kept in the database.',
    ),
  MAIL_FREQUENCY_CAP: z
    .string()
    .regex(/^(off|[1-9]\d{0,3}\/[1-9]\d{0,3}[hd])$/, {
      message: 'must be emails/period like 3/7d (3 per 7 days) or 2/24h, or off',
    })
    .default('3/7d')
    .describe('Most playbook emails one contact gets in a rolling period; more are skipped. off: no cap.'),
  MAIL_COMPANY_NAME: z.string().min(1).optional().describe('Company named in the footer of playbook emails.'),
  MAIL_POSTAL_ADDRESS: z
    .string()
    .min(1)
    .optional()
    .describe('Postal address in the footer of playbook emails (anti-spam laws require one).'),
  MAIL_OPEN_TRACKING: flag
    .default(false)
    .describe('Add an open-tracking pixel to playbook emails (records email.opened events). Off by default.'),
});
export type Config = z.infer<typeof Config>;

export class ConfigError extends Error {}

/** Reads the configuration from the environment; a bad value throws one readable line per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config & {
  dataDir: string;
  publicUrl: string;
  allowedHosts: string[];
  outboundAllow: string[];
} {
  // Empty strings in .env files mean "unset", as they do for most twelve-factor apps.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Config.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? 'config');
      const got = present[key];
      const shown = got === undefined ? '' : ` (got "${redact(key, got)}")`;
      return `${key} ${issue.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const config = parsed.data;
  if (Boolean(config.TEMPORAL_TLS_CERT) !== Boolean(config.TEMPORAL_TLS_KEY)) {
    throw new ConfigError('Invalid configuration: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together');
  }
  if (Boolean(config.STAYFLOW_ADMIN_EMAIL) !== Boolean(config.STAYFLOW_ADMIN_PASSWORD)) {
    throw new ConfigError(
      'Invalid configuration: STAYFLOW_ADMIN_EMAIL and STAYFLOW_ADMIN_PASSWORD must be set together',
    );
  }
  if (config.STAYFLOW_ROLE !== 'all') {
    // Split processes share nothing in memory: each needs the external Temporal, database and SMTP relay.
    const missing = (['TEMPORAL_ADDRESS', 'DATABASE_URL', 'SMTP_URL'] as const).filter((key) => !config[key]);
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration: STAYFLOW_ROLE=${config.STAYFLOW_ROLE} needs ${missing.join(', ')} (the embedded ones run only with STAYFLOW_ROLE=all)`,
      );
    }
  }
  return {
    ...config,
    dataDir: config.DATA_DIR === 'memory://' ? config.DATA_DIR : path.resolve(config.DATA_DIR),
    publicUrl: config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`,
    allowedHosts: list(config.ALLOWED_HOSTS).map((host) => host.toLowerCase()),
    outboundAllow: list(config.OUTBOUND_ALLOW).map((entry) => entry.toLowerCase()),
  };
}
export type LoadedConfig = ReturnType<typeof loadConfig>;

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function redact(key: string, value: string): string {
  if (/(_PASSWORD|_TOKEN|_SECRET)$/.test(key)) return '***';
  if (key.endsWith('_KEY') || key.endsWith('_URL')) {
    return value.replace(/\/\/([^@/]*)@/, '//***@');
  }
  return value;
}

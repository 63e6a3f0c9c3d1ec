import { ConfigError, loadConfig } from './config.js';
import { DatabaseUnavailableError } from './db/database.js';
import { createLogger } from './logger.js';
import { startStack } from './stack.js';
import { PortInUseError } from './temporal/dev-server.js';
import { temporalCliPath } from './temporal/cli-path.js';
import { FIRST_SIGN_IN_HINT } from './auth/bootstrap.js';

// The process entry: `npm start` (all parts in one process), or one role per container (STAYFLOW_ROLE).
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, role: config.STAYFLOW_ROLE, pretty: config.LOG_PRETTY });
  const stack = await startStack(config, { logger, temporalCliPath: temporalCliPath() });

  const lines = [
    stack.apiUrl && `  Stayflow          ${config.publicUrl}`,
    stack.apiUrl && `  API docs          ${config.publicUrl}/api/docs`,
    stack.apiUrl && `  Health            ${config.publicUrl}/api/health`,
    stack.context.temporalUiUrl && `  Temporal Web UI   ${stack.context.temporalUiUrl}`,
    `  Temporal          ${config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}`} (namespace ${config.TEMPORAL_NAMESPACE})`,
    stack.smtpCatcher && `  SMTP catcher      ${stack.smtpCatcher.url} (mail shows in ${config.publicUrl}/api/outbox)`,
    `  Database          ${stack.context.database.kind} at ${stack.context.database.location}`,
  ].filter(Boolean);
  const firstSignIn = stack.apiUrl && !stack.hasAdmin ? `\n  ${FIRST_SIGN_IN_HINT(config.publicUrl)}\n` : '';
  process.stdout.write(
    `\nStayflow ${stack.context.version} is running (${config.STAYFLOW_ROLE}):\n${lines.join('\n')}\n${firstSignIn}\nCtrl-C stops everything.\n\n`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping Stayflow…\n`);
    stack
      .close()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Under `npm start` the launcher (scripts/start.mjs) is the parent. Killed with -9 it cannot tell us, and we would
  // run on under PID 1, sending mail nobody watches and holding the ports the next `npm start` needs: when the
  // parent changes, stop like on Ctrl-C.
  const launcher = Number(process.env.STAYFLOW_LAUNCHER_PID);
  if (Number.isInteger(launcher) && launcher > 1) {
    setInterval(() => {
      if (process.ppid !== launcher) stop('launcher gone');
    }, 1_000).unref();
  }
}

main().catch((error: unknown) => {
  // Start-up problems a person can fix are one line, not a stack trace.
  const known =
    error instanceof ConfigError || error instanceof PortInUseError || error instanceof DatabaseUnavailableError;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`stayflow: cannot start: ${message}\n`);
  if (!known && error instanceof Error && process.env.LOG_LEVEL === 'debug') process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});

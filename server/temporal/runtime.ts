import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

let installed = false;

/**
 * Routes the Temporal SDK's own logs (worker state, webpack output) into our pino logger, at WARN and above unless
 * LOG_LEVEL asks for more. Runtime.install may run once per process and before any worker connection exists.
 */
export function installTemporalRuntime(logger: Logger): void {
  if (installed) return;
  installed = true;
  const level: LogLevel = logger.isLevelEnabled('debug') ? 'DEBUG' : 'WARN';
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: sdkLevel, message, meta }) => {
      const method = sdkLevel === 'ERROR' ? 'error' : sdkLevel === 'WARN' ? 'warn' : 'debug';
      logger[method]({ temporal: meta }, message);
    }),
  });
}

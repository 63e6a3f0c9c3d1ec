import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadResult } from './protocol.js';

/** The load generator's process: one job at a time; `close` ends it. */
export interface LoadGenerator {
  run(job: LoadJob): Promise<LoadResult>;
  close(): void;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./generator.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the load generator exited (${code}) before it was ready`)));
  });
  return {
    run: (job) =>
      new Promise<LoadResult>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`the load generator exited (${code})`));
        child.once('exit', onExit);
        child.once('message', (result) => {
          child.off('exit', onExit);
          const answer = result as LoadResult;
          if (answer.errors.length > 0) reject(new Error(`load: unexpected answers: ${answer.errors.join(' | ')}`));
          else resolve(answer);
        });
        child.send(job);
      }),
    close: () => void child.kill(),
  };
}

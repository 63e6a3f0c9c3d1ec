import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface WorkerMemory {
  /** Resident set size and V8 heap in use, bytes, after a full collection. */
  rss: number;
  heapUsed: number;
  cached: number;
  activations: number;
}

export interface WorkerProcess {
  memory(): Promise<WorkerMemory>;
  stop(): Promise<void>;
}

/** Starts bench/sleep/worker-process.ts as a child and waits until it polls. */
export async function startWorkerProcess(opts: {
  address: string;
  namespace: string;
  taskQueue: string;
  bundlePath: string;
  cacheSize: number;
  /** Extra node flags, e.g. a V8 heap limit. */
  nodeFlags?: string[];
}): Promise<WorkerProcess> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('./worker-process.ts', import.meta.url)),
    [opts.address, opts.namespace, opts.taskQueue, opts.bundlePath, String(opts.cacheSize)],
    {
      execArgv: ['--import', 'tsx', '--expose-gc', ...(opts.nodeFlags ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the worker process exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  await next();
  return {
    memory: async () => {
      const answer = next();
      child.send('memory');
      return (await answer) as WorkerMemory;
    },
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

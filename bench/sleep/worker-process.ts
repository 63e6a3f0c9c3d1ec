import { NativeConnection, Worker } from '@temporalio/worker';
import type { EffectOutcome } from '../../engine/interpreter/types.js';
import { installTemporalRuntime } from '../../server/temporal/runtime.js';
import { benchLogger } from '../stack-config.js';

// A worker alone in its process (argv: address, namespace, task queue, bundle path, sticky-cache size), so its
// memory can be read without the API, the database or the bench beside it. It answers 'memory' messages with its
// resident and heap sizes after a full collection (run with --expose-gc) and how many runs it has cached.

const [address, namespace, taskQueue, bundlePath, cacheSize] = process.argv.slice(2);
installTemporalRuntime(benchLogger());
const connection = await NativeConnection.connect({ address: address! });
const worker = await Worker.create({
  connection,
  namespace: namespace!,
  taskQueue: taskQueue!,
  workflowBundle: { codePath: bundlePath! },
  // The sleeping runs never reach an effect; a stub keeps the process about workflows only.
  activities: { performEffect: (): Promise<EffectOutcome> => Promise.resolve({ status: 'done' }) },
  maxCachedWorkflows: Number(cacheSize),
});
const running = worker.run();

process.on('message', (message: string) => {
  if (message === 'memory') {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    const status = worker.getStatus();
    process.send?.({
      rss,
      heapUsed,
      cached: status.numCachedWorkflows,
      activations: status.numInFlightWorkflowActivations,
    });
  } else if (message === 'stop') {
    worker.shutdown();
    void running.then(async () => {
      await connection.close();
      process.exit(0);
    });
  }
});
process.send?.('ready');

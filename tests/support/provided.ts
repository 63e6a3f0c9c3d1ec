// Values the lanes' global setups hand to their tests (vitest's provide/inject), typed once.
declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    taskQueue: string;
    workflowBundlePath: string;
    testServerPath: string;
    databaseUrl: string;
  }
}
export {};

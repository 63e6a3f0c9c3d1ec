// Values the lanes' global setups hand to their tests (vitest's provide/inject), typed once.
declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    taskQueue: string;
    workflowBundlePath: string;
    testServerPath: string;
    databaseUrl: string;
    /** Integration lane: secrets of API tokens (scope events; another scope only; revoked). */
    apiTokens: { events: string; otherScope: string; revoked: string };
    /** Integration lane: the WEBHOOK_SECRET the stack signs outbound webhooks with. */
    webhookSecret: string;
  }
}
export {};

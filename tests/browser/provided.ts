// Values the browser lane's global setup hands to its tests, typed once (beside the other lanes' in tests/support).
declare module 'vitest' {
  export interface ProvidedContext {
    /** The first admin of the lane's stack, to sign in as in the browser. */
    browserAdmin: { email: string; password: string };
    /** An admin API token of the lane's stack, for the tests' own calls to the API. */
    browserToken: string;
  }
}
export {};

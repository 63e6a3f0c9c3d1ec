// What an API token may do. The scopes are the engine's (engine/people/api-token.ts), where the web app reads them
// too; re-exported here for the server's routes and the CLI.
export { SCOPE_DESCRIPTIONS, TokenScope, hasScope } from '../../engine/people/api-token.js';

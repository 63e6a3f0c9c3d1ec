// `stayflow` — the command line for playbooks kept in git. Run through scripts/stayflow.mjs (`npx stayflow …`).
// Exit codes: 0 done, 1 the playbook or the server said no, 2 the command line itself is wrong.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { packageVersion } from '../server/package-root.js';
import { DEFAULT_SERVER, UsageError } from './usage.js';

/** Loads a command's module when the command runs (see below). */
function lazy<A extends unknown[], R>(load: () => Promise<(...args: A) => R>) {
  return async (...args: A): Promise<Awaited<R>> => await (await load())(...args);
}
// Each command's module — and with it zod, the engine, the database driver — loads only when that command runs, so
// `stayflow --help` and `--version` answer at about the speed of a bare `node`.
const validateCommand = lazy(async () => (await import('./validate.js')).validateCommand);
const simulateCommand = lazy(async () => (await import('./simulate.js')).simulateCommand);
const publishCommand = lazy(async () => (await import('./remote.js')).publishCommand);
const enrollCommand = lazy(async () => (await import('./remote.js')).enrollCommand);
const importCommand = lazy(async () => (await import('./import.js')).importCommand);
const tokenCommand = lazy(async () => (await import('./token.js')).tokenCommand);
const userCommand = lazy(async () => (await import('./user.js')).userCommand);

const USAGE = `Usage: stayflow <command> [options]

Commands:
  validate <files…> [--fields <file>] [--server <url>] [--json]
      Compile each playbook definition (JSON) and print its issues; exit 1 if any file fails. Custom account
      fields are checked against --fields (the answer of GET /api/account-fields saved to a file, or
      { "seats": "number", … }), else the server's catalogue when signed in; with neither, they are left for
      publish to check (and listed as not checked).
  simulate <file> [--account <json|@file>] [--script <json|@file>] [--events <json|@file>]
                  [--approvals <json|@file>] [--changes <json|@file>] [--failures <json|@file>]
                  [--settings <json|@file>] [--trigger <json|@file>] [--start <ISO date-time>] [--fields <file>]
                  [--json]
      Preview a run for one account on a virtual clock: when each step happens, and why then. The script is the
      simulate API's: { events, approvals, changes, failures }; a list given on its own flag replaces the script's.
      --trigger is what enrolled the run, read by trigger.* conditions: { "event": "nps.answered", "data":
      { "score": 3 } }, { "field": "plan", "from": "basic", "to": "pro" }, or the API's { "type": … } form.
      Account default: { "id": "sample-account", "timeZone": "UTC", "fields": {} }; start default: now.
  publish <file> [--server <url>]
      Save the definition as the playbook's draft on a running server and publish it as a new version
      (custom fields checked against the server's catalogue).
  enroll <playbookKey> --account-id <external id> [--server <url>]
      Enroll a stored account, by its external id, in the published playbook.
  enroll <playbookKey> --account <json|@file> [--server <url>]
      Enroll an account described inline ({ "id", "timeZone", "fields" }). Refused (exit 1) when the account
      is not stored and the playbook sends email: every email would be skipped (no contacts to send to).
  import <file.csv> [--contacts] [--dry-run] [--json] [--server <url>]
      Create or update accounts (matched by external_id) from a CSV file — or, with --contacts, contacts
      (matched by account_external_id and email). Rejected rows are listed by row and column; exit 1 if any.
      An accounts import says which playbooks it starts and how long handing the accounts over takes.
      --dry-run checks and reports every row as the import would, and writes nothing.
  token create --name <name> --scope <scope>… [--expires 90d|<date-time>] [--json] | token list | token revoke <id>
      API tokens (scopes: read, events:write, accounts:write, playbooks:write, playbooks:publish, runs:write,
      tasks:write, approvals:write, templates:write, settings:write, admin), through the server's API.
      The secret is printed once.
  user create --email <address> --role admin|ops|manager|csm|viewer [--name <name>] [--manager <user id>]
              [--password-stdin] | user list
      People who sign in. On the server's machine this works with nothing set up (the running server's
      local operator token): how the first admin is made.

Credentials (publish, enroll, import, token, user): $STAYFLOW_TOKEN, else the config file
  ($STAYFLOW_CONFIG or ~/.config/stayflow/config.json: { "server": "…", "token": "sf_…" }), else, for a
  server on this machine, its local operator token (DATA_DIR/operator-token).

Options:
  --server <url>   The Stayflow server (default: $STAYFLOW_URL, else ${DEFAULT_SERVER}).
  -h, --help       Show this help.
  -v, --version    Print the version.

Examples:
  stayflow validate playbooks/*.json
  stayflow simulate playbooks/examples/welcome-and-checkin.json --account '{"fields":{"segment":"high-touch"}}'
  stayflow publish playbooks/examples/welcome-and-checkin.json
  stayflow enroll welcome-and-checkin --account-id acme-001
  stayflow import accounts.csv && stayflow import contacts.csv --contacts
  stayflow token create --name "product analytics" --scope events:write
  stayflow user create --email you@yourco.example --role admin`;

type Options = NonNullable<ParseArgsConfig['options']>;
const help = { help: { type: 'boolean', short: 'h' } } satisfies Options;
const server = { server: { type: 'string' } } satisfies Options;
const fields = { type: 'string' } as const;

/**
 * The custom-field catalogue to check against: `--fields <file>`, else (validate) the server the CLI is signed in
 * to, else none (custom fields are then left for the server to check at publish).
 */
async function catalogueFor(file: string | undefined, serverOption: string | undefined) {
  const { catalogueFromFile, catalogueFromServer, NO_CATALOGUE } = await import('./fields.js');
  if (file !== undefined) return catalogueFromFile(file);
  if (serverOption === undefined && !process.env.STAYFLOW_URL && !process.env.STAYFLOW_TOKEN) {
    const { readCliConfig } = await import('./credentials.js');
    if (!readCliConfig().token) return NO_CATALOGUE;
  }
  const { serverUrl } = await import('./remote.js');
  return (await catalogueFromServer(serverUrl(serverOption))) ?? NO_CATALOGUE;
}

function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages run on with advice about `--`; the first sentence is the useful part.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split(/\.\s/)[0]?.replace(/\.$/, '') ?? message);
  }
}

function one(positionals: string[], what: string, command: string): string {
  const [value, ...extra] = positionals;
  if (value === undefined) throw new UsageError(`${command} needs a ${what}`);
  if (extra.length > 0) throw new UsageError(`${command} takes one ${what}; unexpected: ${extra.join(' ')}`);
  return value;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    console.error(USAGE);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    console.log(packageVersion);
    return 0;
  }
  switch (command) {
    case 'validate': {
      const { values, positionals } = parse(rest, { ...help, ...server, json: { type: 'boolean' }, fields });
      if (values.help) break;
      if (positionals.length === 0) throw new UsageError('validate needs at least one playbook file');
      return validateCommand(positionals, {
        json: values.json ?? false,
        catalogue: await catalogueFor(values.fields, values.server),
      });
    }
    case 'simulate': {
      const { values, positionals } = parse(rest, {
        ...help,
        account: { type: 'string' },
        script: { type: 'string' },
        events: { type: 'string' },
        approvals: { type: 'string' },
        changes: { type: 'string' },
        failures: { type: 'string' },
        settings: { type: 'string' },
        trigger: { type: 'string' },
        start: { type: 'string' },
        json: { type: 'boolean' },
        fields,
      });
      if (values.help) break;
      return simulateCommand(one(positionals, 'playbook file', 'simulate'), {
        ...values,
        json: values.json ?? false,
        catalogue: await catalogueFor(values.fields, undefined),
      });
    }
    case 'publish': {
      const { values, positionals } = parse(rest, { ...help, ...server });
      if (values.help) break;
      return publishCommand(one(positionals, 'playbook file', 'publish'), values);
    }
    case 'enroll': {
      const { values, positionals } = parse(rest, {
        ...help,
        ...server,
        account: { type: 'string' },
        'account-id': { type: 'string' },
      });
      if (values.help) break;
      return enrollCommand(one(positionals, 'playbook key', 'enroll'), values);
    }
    case 'import': {
      const { values, positionals } = parse(rest, {
        ...help,
        ...server,
        contacts: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
      });
      if (values.help) break;
      return importCommand(one(positionals, 'CSV file', 'import'), { ...values, dryRun: values['dry-run'] });
    }
    case 'token': {
      const { values, positionals } = parse(rest, {
        ...help,
        ...server,
        name: { type: 'string' },
        scope: { type: 'string', multiple: true },
        expires: { type: 'string' },
        json: { type: 'boolean' },
      });
      if (values.help) break;
      const [action, ...args] = positionals;
      return tokenCommand(action, args, values);
    }
    case 'user': {
      const { values, positionals } = parse(rest, {
        ...help,
        ...server,
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        manager: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        json: { type: 'boolean' },
      });
      if (values.help) break;
      const [action, ...args] = positionals;
      return userCommand(action, args, values);
    }
    default:
      console.error(`stayflow: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
  console.log(USAGE);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`stayflow: ${error.message}`);
      console.error('Run `stayflow --help` for usage.');
      return 2;
    }
    console.error(
      `stayflow: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  }
}

// `stayflow simulate … | head`: the reader left; stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));

// `stayflow user create|list`: people who sign in, through the server's API (works while the server runs). On the
// server's own machine it needs nothing set up: the running server's local operator token is used, which is how the
// first admin is made (`stayflow user create --email you@yourco.example --role admin`).
import { createInterface } from 'node:readline';
import { call, failure, ok, reportFailures, serverUrl } from './remote.js';
import { UsageError } from './usage.js';

const ROLES = ['admin', 'ops', 'manager', 'csm', 'viewer'];

interface User {
  id: string;
  email: string;
  name: string | null;
  role: string;
  managerId: string | null;
  canSignIn: boolean;
}

/** The password: the first line of stdin with --password-stdin, else asked for on the terminal, unechoed, twice. */
async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) return line;
    throw new UsageError('--password-stdin: stdin was empty');
  }
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      // Echo nothing of what is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.includes(question)) process.stdout.write(question);
      };
      rl.question(question, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password (12 characters or more): ');
  if ((await ask('Again: ')) !== first) throw new UsageError('the two passwords differ');
  return first;
}

export async function userCommand(
  action: string | undefined,
  args: string[],
  values: {
    email?: string;
    name?: string;
    role?: string;
    manager?: string;
    'password-stdin'?: boolean;
    json?: boolean;
    server?: string;
  },
): Promise<number> {
  const server = serverUrl(values.server);
  switch (action) {
    case 'create': {
      if (args.length > 0)
        throw new UsageError(`user create takes no positional arguments; unexpected: ${args.join(' ')}`);
      if (!values.email) throw new UsageError('user create needs --email <address>');
      if (!values.role || !ROLES.includes(values.role)) {
        throw new UsageError(`user create needs --role (one of: ${ROLES.join(', ')})`);
      }
      const password = await readPassword(values['password-stdin'] ?? false);
      return reportFailures('user', async () => {
        const answer = await call(server, 'POST', '/api/users', {
          email: values.email,
          role: values.role,
          password,
          ...(values.name && { name: values.name }),
          ...(values.manager && { managerId: values.manager }),
        });
        if (!ok(answer)) throw failure(`creating ${values.email}`, answer);
        const user = answer.body as User;
        console.log(
          values.json
            ? JSON.stringify(user)
            : `Created ${user.role} ${user.email} (${user.id}): they can sign in at ${server}`,
        );
      });
    }
    case 'list':
      return reportFailures('user', async () => {
        const answer = await call(server, 'GET', '/api/users');
        if (!ok(answer)) throw failure('listing users', answer);
        const users = (answer.body as { items: User[] }).items;
        if (values.json) console.log(JSON.stringify(users));
        else
          for (const u of users)
            console.log(`${u.id}  ${u.email}  ${u.role}${u.canSignIn ? '' : '  (cannot sign in)'}`);
      });
    default:
      throw new UsageError(
        action === undefined
          ? 'user needs an action: create or list'
          : `unknown user action '${action}' (create, list)`,
      );
  }
}

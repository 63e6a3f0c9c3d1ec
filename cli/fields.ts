import { z } from 'zod';
import { AccountFieldType } from '../engine/playbook/account-fields.js';
import type { CompileContext } from '../engine/playbook/ir.js';
import { tokenFor } from './credentials.js';
import { loadJsonFile } from './input.js';
import { UsageError } from './usage.js';

// The custom account fields a playbook may use (seats, activeUsersPct…), as the CLI checks them: from a catalogue
// file (`--fields <file>`, offline), else from the server the CLI is signed in to (GET /api/account-fields). Without
// either, custom fields cannot be checked here; the server checks them when the playbook is published.

/** What `--fields` accepts: the API's answer ({ builtIn, custom: [{ name, type }] }) saved to a file, or a plain map. */
const CatalogueFile = z.union([
  z.object({ custom: z.array(z.object({ name: z.string(), type: AccountFieldType })) }),
  z.record(z.string(), AccountFieldType),
]);

export type Catalogue =
  | { source: string; accountFields: NonNullable<CompileContext['accountFields']> }
  | { source: undefined; accountFields: undefined };

function fromValue(value: unknown): NonNullable<CompileContext['accountFields']> | undefined {
  const parsed = CatalogueFile.safeParse(value);
  if (!parsed.success) return undefined;
  const data = parsed.data;
  return 'custom' in data && Array.isArray(data.custom)
    ? Object.fromEntries(data.custom.map((f) => [f.name, f.type]))
    : (data as Record<string, AccountFieldType>);
}

/** `--fields <file>`; throws UsageError when the file cannot be used. */
export function catalogueFromFile(file: string): Catalogue {
  const loaded = loadJsonFile(file);
  if (!loaded.ok) throw new UsageError(`--fields ${file}: ${loaded.reason}`);
  const accountFields = fromValue(loaded.value);
  if (!accountFields) {
    throw new UsageError(
      `--fields ${file}: not a field catalogue (save \`GET /api/account-fields\`, or write { "seats": "number", … } with types string, number, boolean or date)`,
    );
  }
  return { source: file, accountFields };
}

/** The server's catalogue when the CLI has credentials for it; undefined when it has none or the server is away. */
export async function catalogueFromServer(server: string): Promise<Catalogue | undefined> {
  const credential = tokenFor(server);
  if (!credential) return undefined;
  let response: Response;
  try {
    response = await fetch(`${server}/api/account-fields`, {
      headers: { accept: 'application/json', authorization: `Bearer ${credential.token}` },
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return undefined;
  }
  if (!response.ok) return undefined;
  const accountFields = fromValue(await response.json().catch(() => undefined));
  return accountFields ? { source: server, accountFields } : undefined;
}

export const NO_CATALOGUE: Catalogue = { source: undefined, accountFields: undefined };

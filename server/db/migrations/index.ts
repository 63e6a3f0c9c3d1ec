import type { Migration } from 'kysely';
import * as m0001 from './0001_caught_mail.js';
import * as m0002 from './0002_playbooks.js';

// Listed in code (not read from disk) so the same migrations run from source, a bundle or a container image.
// Names sort in the order they apply; never rename or edit one that has shipped: add the next.
export const migrations: Record<string, Migration> = {
  '0001_caught_mail': m0001,
  '0002_playbooks': m0002,
};

import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { searchAttributes } from '../../engine/search-attributes.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;

/**
 * Registers the engine's search attributes on the namespace when missing. The embedded dev server gets them on its
 * command line; a self-hosted cluster gets them here. Temporal Cloud manages them in its own console, where the
 * operator API answers "permission denied": that is reported, not fatal.
 */
export async function ensureSearchAttributes(client: Client, namespace: string): Promise<string[]> {
  const operator = client.connection.operatorService;
  const existing = await operator.listSearchAttributes({ namespace });
  const have = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.entries(searchAttributes).filter(([name]) => !have.has(name));
  if (missing.length === 0) return [];
  const toAdd: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {};
  for (const [name, type] of missing) {
    toAdd[name] =
      type === 'INT' ? IndexedValueType.INDEXED_VALUE_TYPE_INT : IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  }
  await operator.addSearchAttributes({ namespace, searchAttributes: toAdd });
  return missing.map(([name]) => name);
}

import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { allSearchAttributes } from '../../engine/search-attributes.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;

/**
 * Registers the engine's search attributes on the namespace when missing, for the embedded dev server and a
 * self-hosted cluster alike. Temporal Cloud manages them in its own console, where the operator API answers
 * "permission denied": the caller reports that, it is not fatal.
 */
export async function ensureSearchAttributes(client: Client, namespace: string): Promise<string[]> {
  const operator = client.connection.operatorService;
  const existing = await operator.listSearchAttributes({ namespace });
  const have = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = allSearchAttributes.filter((key) => !have.has(key.name));
  if (missing.length === 0) return [];
  const toAdd: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {};
  for (const key of missing) {
    toAdd[key.name] =
      key.type === 'INT' ? IndexedValueType.INDEXED_VALUE_TYPE_INT : IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  }
  await operator.addSearchAttributes({ namespace, searchAttributes: toAdd });
  return missing.map((key) => key.name);
}

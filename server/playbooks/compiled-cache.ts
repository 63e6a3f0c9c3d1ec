import type { CompiledPlaybook } from '../../engine/playbook/ir.js';

// A published version is immutable (publishing files the next version, never rewrites one), so its compiled IR can
// be kept in memory once read: enrolling (the API, a trigger, a startPlaybook step) and trigger evaluation then read
// only the playbook's row — which version is current — instead of the IR again and again. Keyed by the playbook's
// id (a UUID, unique across databases) and the version number.

/** Versions kept; the oldest read leaves first. A few hundred IRs are a few megabytes at most. */
const KEPT = 256;
const cache = new Map<string, CompiledPlaybook>();

const keyOf = (playbookId: string, version: number) => `${playbookId}@${version}`;

export function cachedVersion(playbookId: string, version: number): CompiledPlaybook | undefined {
  const key = keyOf(playbookId, version);
  const ir = cache.get(key);
  if (ir) {
    // Most recently used last, so the eviction below drops the least recently used.
    cache.delete(key);
    cache.set(key, ir);
  }
  return ir;
}

/** Keeps a version's IR, frozen: callers share one object, and none may change what another enrolls with. */
export function keepVersion(playbookId: string, version: number, ir: CompiledPlaybook): CompiledPlaybook {
  const frozen = deepFreeze(ir);
  cache.set(keyOf(playbookId, version), frozen);
  while (cache.size > KEPT) cache.delete(cache.keys().next().value!);
  return frozen;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

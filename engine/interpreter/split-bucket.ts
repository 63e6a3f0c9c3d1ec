import { fnv1a64 } from '../playbook/checksum.js';

/** 0–99, the same for one account at one split step every time: A/B assignment without randomness or state. */
export function splitBucket(accountId: string, playbookKey: string, nodeId: string): number {
  // FNV-1a alone barely mixes the last bytes (account ids often differ only there); MurmurHash3's 64-bit
  // finalizer spreads every input bit over the whole word before taking the bucket.
  let h = BigInt(`0x${fnv1a64(`${playbookKey}\u0000${nodeId}\u0000${accountId}`)}`);
  h = BigInt.asUintN(64, (h ^ (h >> 33n)) * 0xff51afd7ed558ccdn);
  h = BigInt.asUintN(64, (h ^ (h >> 33n)) * 0xc4ceb9fe1a85ec53n);
  h ^= h >> 33n;
  return Number(h % 100n);
}

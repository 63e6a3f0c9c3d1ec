import { readFileSync } from 'node:fs';
import { ConfigError, type LoadedConfig } from '../config.js';
import type { OutboundPolicy } from './outbound-guard.js';

/** The outbound policy the configuration sets: OUTBOUND_ALLOW, and the CAs of OUTBOUND_CA_FILE (read once, at start). */
export function outboundPolicy(config: Pick<LoadedConfig, 'outboundAllow' | 'OUTBOUND_CA_FILE'>): OutboundPolicy {
  let extraCa: string | undefined;
  if (config.OUTBOUND_CA_FILE) {
    try {
      extraCa = readFileSync(config.OUTBOUND_CA_FILE, 'utf8');
    } catch (error) {
      throw new ConfigError(`OUTBOUND_CA_FILE cannot be read: ${(error as Error).message}`);
    }
    if (!extraCa.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigError('OUTBOUND_CA_FILE holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
    }
  }
  return { allow: config.outboundAllow, ...(extraCa && { extraCa }) };
}

import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { LoadedConfig } from '../config.js';

export interface TemporalTarget {
  address: string;
  namespace: string;
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer } } | boolean;
  apiKey?: string;
}

export async function temporalTarget(config: LoadedConfig, address: string): Promise<TemporalTarget> {
  const target: TemporalTarget = { address, namespace: config.TEMPORAL_NAMESPACE };
  if (config.TEMPORAL_TLS_CERT && config.TEMPORAL_TLS_KEY) {
    target.tls = {
      clientCertPair: { crt: await readFile(config.TEMPORAL_TLS_CERT), key: await readFile(config.TEMPORAL_TLS_KEY) },
    };
  } else if (config.TEMPORAL_TLS || config.TEMPORAL_API_KEY) {
    target.tls = true;
  }
  if (config.TEMPORAL_API_KEY) target.apiKey = config.TEMPORAL_API_KEY;
  return target;
}

export async function connectClient(target: TemporalTarget): Promise<Client> {
  const connection = await Connection.connect({
    address: target.address,
    tls: target.tls,
    apiKey: target.apiKey,
    connectTimeout: '10 seconds',
  });
  return new Client({ connection, namespace: target.namespace });
}

export function connectWorkerConnection(target: TemporalTarget): Promise<NativeConnection> {
  return NativeConnection.connect({ address: target.address, tls: target.tls, apiKey: target.apiKey });
}

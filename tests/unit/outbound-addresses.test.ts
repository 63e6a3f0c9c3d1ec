import { describe, expect, it } from 'vitest';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { isPrivateAddress, refusalOf } from '../../server/effects/outbound-guard.js';
import { outboundIssues } from '../../server/playbooks/outbound-check.js';

// Which addresses webhook steps and Slack may call, judged on what a URL says (the delivery also checks every
// address a name resolves to: tests/component/outbound-guard.test.ts).

describe('private addresses', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00:ec2::254',
    'fc00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.1.1.1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('refusalOf', () => {
  it('refuses http, literal private addresses and reserved names, however they are spelt', () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://169.254.169.254/latest/meta-data/',
      'https://metadata.google.internal/',
      'https://METADATA.Google.internal./',
      'https://localhost:8443/',
      'https://app.localhost/',
      'https://0x7f.1/',
      'https://[fd00:ec2::254]/',
    ]) {
      expect(refusalOf(url), url).toBe('refused: private address');
    }
    expect(refusalOf('http://hooks.example.com/')).toBe('refused: only https:// addresses are called');
    expect(refusalOf('https://hooks.example.com/x')).toBeUndefined();
  });

  it('lets the allow-list name exceptions: a host, an address or a network', () => {
    expect(refusalOf('https://127.0.0.1:9443/x', { allow: ['127.0.0.1'] })).toBeUndefined();
    expect(refusalOf('https://10.2.3.4/x', { allow: ['10.0.0.0/8'] })).toBeUndefined();
    expect(refusalOf('https://localhost/x', { allow: ['localhost'] })).toBeUndefined();
    expect(refusalOf('https://10.2.3.4/x', { allow: ['192.168.0.0/16'] })).toBe('refused: private address');
  });
});

describe('publishing', () => {
  const playbook = (url: string) =>
    ({
      nodes: { crm: { id: 'crm', type: 'webhook', label: 'Tell the CRM', config: { url, method: 'POST' } } },
    }) as unknown as CompiledPlaybook;

  it('names the webhook step whose literal address is private, and passes a public or allowed one', () => {
    expect(outboundIssues(playbook('https://169.254.169.254/x'), undefined)).toEqual([
      {
        nodeId: 'crm',
        path: 'config.url',
        code: 'private_address',
        message:
          "The 'Tell the CRM' webhook calls 169.254.169.254, a private address: Stayflow does not call this machine, the private network or a cloud metadata endpoint (OUTBOUND_ALLOW names exceptions)",
      },
    ]);
    expect(outboundIssues(playbook('https://crm.example.com/x'), undefined)).toEqual([]);
    expect(outboundIssues(playbook('https://10.0.0.5/x'), { allow: ['10.0.0.5'] })).toEqual([]);
  });
});

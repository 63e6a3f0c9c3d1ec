import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import tls from 'node:tls';

// Where outbound requests (webhook steps, Slack) may go: https only, and never to this machine, the private
// network or a cloud metadata endpoint — unless the operator names the target in OUTBOUND_ALLOW. A playbook author
// could otherwise make Stayflow's servers call whatever they can reach (SSRF). The check runs on the address
// actually connected to (the request's own DNS lookup goes through `guardedLookup`, so a name cannot resolve to a
// public address when checked and a private one when connected: no DNS-rebinding gap), and again on every hop of a
// redirect. A refusal says "refused: private address" and nothing else: it happens before any connection, so it
// cannot tell an open port from a closed one.

export const REFUSED_PRIVATE = 'refused: private address';
export const REFUSED_SCHEME = 'refused: only https:// addresses are called';

/** A request Stayflow will not make; final, never retried. */
export class OutboundRefused extends Error {
  override name = 'OutboundRefused';
  constructor(message = REFUSED_PRIVATE) {
    super(message);
  }
}

export interface OutboundPolicy {
  /** Host names, addresses and CIDRs allowed although private (OUTBOUND_ALLOW), lower-case. */
  allow: string[];
  /** Extra trusted CA certificates (PEM), beside the public ones (OUTBOUND_CA_FILE). */
  extraCa?: string;
  /** Resolves names; the system resolver unless a test brings its own. */
  lookup?: typeof dns.lookup;
}

/** Guarded with no exceptions: what any caller that names no policy gets. */
export const DEFAULT_OUTBOUND: OutboundPolicy = { allow: [] };

// Loopback, "this network", private (RFC 1918), carrier-grade NAT, link-local (169.254.169.254, the metadata
// endpoint of AWS, GCP, Azure…), IETF/benchmark/documentation ranges, multicast and reserved; IPv6 loopback,
// unspecified, unique-local (fc00::/7, AWS's fd00:ec2::254 among them), link-local, site-local, multicast,
// documentation. IPv4-mapped, IPv4-compatible, NAT64 and 6to4 addresses are judged by the IPv4 address they carry.
const PRIVATE = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

// Names that mean this machine or a metadata service whatever DNS says.
const PRIVATE_NAMES = new Set(['localhost', 'metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data']);
const isPrivateName = (host: string) =>
  PRIVATE_NAMES.has(host) || host.endsWith('.localhost') || host === 'instance-data.ec2.internal';

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any. */
function embeddedIpv4(address: string): string | undefined {
  const groups = expandIpv6(address);
  if (!groups) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && (groups[5] === 0xffff || groups[5] === 0)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return undefined;
}

function expandIpv6(address: string): number[] | undefined {
  if (net.isIPv6(address) === false) return undefined;
  let text = address.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = part(head);
  const t = part(tail);
  return tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** Whether an IP address is loopback, private, link-local, unique-local, a metadata address or otherwise reserved. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(address);
  if (v4 !== undefined && PRIVATE.check(v4, 'ipv4')) return true;
  return PRIVATE.check(address.split('%')[0]!, 'ipv6');
}

function allowList(policy: OutboundPolicy) {
  const names = new Set<string>();
  const addresses = new net.BlockList();
  for (const entry of policy.allow) {
    const [network, prefix] = entry.split('/');
    const family = net.isIP(network!);
    if (family === 0) names.add(entry.replace(/^\[|\]$/g, ''));
    else if (prefix === undefined) addresses.addAddress(network!, family === 4 ? 'ipv4' : 'ipv6');
    else addresses.addSubnet(network!, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
  }
  return {
    name: (host: string) => names.has(host),
    address: (address: string) => {
      const family = net.isIP(address);
      return family !== 0 && addresses.check(address, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

// `metadata.google.internal.` (a fully qualified name, trailing dot) is the same host.
const hostOf = (url: URL) =>
  url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase();

/**
 * Why a URL may not be called, judged on what it says (scheme, a literal address, a reserved name); undefined when
 * it may be tried (its name is then checked on every address it resolves to). The publish-time check and every
 * delivery hop use it.
 */
export function refusalOf(url: string, policy: OutboundPolicy = DEFAULT_OUTBOUND): string | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return 'refused: not a web address';
  }
  if (target.protocol !== 'https:') return REFUSED_SCHEME;
  const host = hostOf(target);
  const allowed = allowList(policy);
  if (allowed.name(host) || allowed.address(host)) return undefined;
  if (isPrivateName(host) || (net.isIP(host) !== 0 && isPrivateAddress(host))) return REFUSED_PRIVATE;
  return undefined;
}

/**
 * The DNS lookup outbound requests connect through: it resolves as usual, then refuses (with OutboundRefused) when
 * any address is private and neither it nor the name is allowed. The socket connects to the address checked here.
 */
export function guardedLookup(policy: OutboundPolicy = DEFAULT_OUTBOUND): LookupFunction {
  const allowed = allowList(policy);
  const resolve = policy.lookup ?? dns.lookup;
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const list = addresses as dns.LookupAddress[];
      const nameAllowed = allowed.name(hostname.replace(/\.+$/, '').toLowerCase());
      if (!nameAllowed && list.some((a) => isPrivateAddress(a.address) && !allowed.address(a.address))) {
        return callback(new OutboundRefused());
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`));
      callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}

/** TLS options of outbound requests: verification always on; the public CAs, plus the configured extra ones. */
export function outboundTls(policy: OutboundPolicy = DEFAULT_OUTBOUND) {
  return { rejectUnauthorized: true, ...(policy.extraCa && { ca: [...tls.rootCertificates, policy.extraCa] }) };
}

import ipaddr from 'ipaddr.js';

/**
 * Which addresses webhook requests may go to. By default only public unicast addresses:
 * private (RFC 1918, unique local), loopback, link-local (cloud metadata at
 * 169.254.169.254), multicast, unspecified, carrier-grade NAT, broadcast and the reserved
 * and transition ranges (6to4, Teredo, NAT64, IPv4-mapped IPv6 is judged as the IPv4 inside)
 * are refused, so an endpoint cannot aim the gateway at the platform's own network.
 */
export type AddressAllowance = { kind: 'none' } | { kind: 'any' } | { kind: 'ranges'; ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>; text: string };

/** `false`, `true`, or a comma-separated list of addresses and CIDR ranges allowed besides public ones. */
export function parseAllowance(value: string): AddressAllowance {
  const v = value.trim();
  if (v === '' || v === 'false') return { kind: 'none' };
  if (v === 'true') return { kind: 'any' };
  const ranges = v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p): [ipaddr.IPv4 | ipaddr.IPv6, number] => {
      if (p.includes('/')) {
        if (!ipaddr.isValidCIDR(p)) throw new Error(`"${p}" is not an address or CIDR range`);
        const [addr, bits] = ipaddr.parseCIDR(p);
        return [addr, bits];
      }
      if (!ipaddr.isValid(p)) throw new Error(`"${p}" is not an address or CIDR range`);
      const addr = ipaddr.parse(p);
      return [addr, addr.kind() === 'ipv4' ? 32 : 128];
    });
  return { kind: 'ranges', ranges, text: v };
}

/** Whether plain http (and so any non-public address the allowance names) may be used at all. */
export function allowsInsecure(a: AddressAllowance): boolean {
  return a.kind !== 'none';
}

/**
 * Why an address may not be used, or null when it may. `address` is an IP literal as DNS
 * or a URL gives it (brackets removed).
 */
export function refusedAddress(address: string, allowance: AddressAllowance): string | null {
  if (!ipaddr.isValid(address)) return 'is not an IP address';
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
  const ip = ipaddr.process(address);
  const range = ip.range();
  if (range === 'unicast') return null;
  if (allowance.kind === 'any') return null;
  if (allowance.kind === 'ranges') {
    for (const [net, bits] of allowance.ranges) if (ip.kind() === net.kind() && ip.match(net, bits)) return null;
  }
  return `is a ${describe(range)} address`;
}

function describe(range: string): string {
  switch (range) {
    case 'private':
    case 'uniqueLocal':
      return 'private';
    case 'loopback':
      return 'loopback';
    case 'linkLocal':
      return 'link-local';
    case 'multicast':
      return 'multicast';
    case 'unspecified':
      return 'unspecified';
    default:
      return `non-public (${range})`;
  }
}

/** The host of a URL as an IP literal, if it is one (`[::1]` → `::1`); null for names. */
export function ipLiteralOf(hostname: string): string | null {
  const h = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(h) && (h.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(h)) ? h : null;
}

import { BlockList, isIP } from "node:net";

/**
 * A gateway's optional source-address allowlist ("203.0.113.0/24", "2001:db8::/32", "198.51.100.7"), for
 * sources that cannot sign (Kannel, Jasmin, unsigned Vonage or Infobip setups) and publish their address ranges.
 */
export function parseAllowList(entries: string[]): BlockList | string {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.trim().split("/");
    const family = isIP(address ?? "");
    if (!family) return `'${entry}' is not an IP address or CIDR range`;
    const type = family === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) {
      list.addAddress(address!, type);
      continue;
    }
    const bits = Number(prefix);
    if (!/^\d{1,3}$/.test(prefix) || bits > (family === 6 ? 128 : 32))
      return `'${entry}' has an impossible prefix length`;
    list.addSubnet(address!, bits, type);
  }
  return list;
}

export function isAllowed(list: BlockList, address: string | null): boolean {
  if (!address) return false;
  return list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

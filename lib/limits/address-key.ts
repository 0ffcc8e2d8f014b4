import { isIP } from "node:net";

/**
 * The key a client's per-IP budgets are counted under. An IPv4 address is one key; an IPv6 client is keyed by
 * its /64, because one subscriber is routinely given a whole /64 and could otherwise take a fresh address (and a
 * fresh budget) for every request. `address` is what clientAddress() returned: null when unknown, and then every
 * such request shares one budget rather than none.
 */
export function addressKey(address: string | null): string {
  if (!address) return "unknown";
  const family = isIP(address);
  if (family === 4) return address;
  if (family !== 6) return "unknown";
  return `${ipv6Groups(address).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, as lowercase hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  const withoutZone = address.split("%")[0]!.toLowerCase();
  const [head = "", tail] = withoutZone.split("::");
  const part = (s: string) => (s ? s.split(":").flatMap(expandIpv4) : []);
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const zeros = Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
}

/** An embedded dotted-quad ("64:ff9b::192.0.2.1") is the last two groups. */
function expandIpv4(group: string): string[] {
  if (!group.includes(".")) return [group];
  const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}

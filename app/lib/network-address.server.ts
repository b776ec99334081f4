/** Client network addresses as the limits on them count: one per home or office network. */
import ipaddr from "ipaddr.js";

/**
 * Whose share a client address counts against (live streams, wrong passwords): an IPv4 address (also written
 * IPv4-mapped) on its own, an IPv6 address with the rest of its /64, the block one home or office network gets (one
 * device may use any address in it).
 */
export function addressGroup(address: string): string {
  const parsed = ipaddr.isValid(address) ? ipaddr.parse(address) : null;
  if (!parsed) return address;
  if (parsed.kind() === "ipv4") return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${v6.toString()}/64`).toString()}/64`;
}

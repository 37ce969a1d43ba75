/**
 * Which hosts a download may never reach unless the app allows private
 * hosts: literal loopback, private, link-local, CGNAT, multicast and reserved
 * addresses (IPv4, IPv6, IPv4 inside IPv6), and names that mean this
 * machine or a private network. A DNS name that resolves to a private
 * address cannot be seen here (no portable resolver runs on Workers, Deno
 * and Node alike).
 *
 * @module
 */

/** Hostnames that name this machine, or a private network, by definition. */
const PRIVATE_NAMES = new Set([
  "localhost",
  "localhost.localdomain",
  "ip6-localhost",
  "ip6-loopback",
]);
/** Name suffixes reserved for this machine (RFC 6761), link-local mDNS (RFC 6762) and private networks. */
const PRIVATE_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa"];

/**
 * Whether a URL's hostname is a literal loopback, private, link-local,
 * CGNAT, unspecified or otherwise non-public IP address, or a `localhost`
 * name. The URL parser has already normalised IPv4 written in decimal, hex
 * or octal (`2130706433`, `0x7f.1`) to dotted decimal and IPv6 to compressed
 * hex (`[::ffff:7f00:1]`). A DNS name that resolves to a private address
 * cannot be seen from here (`fetch` does not expose the address it connects
 * to); that needs a network-level egress policy.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.+$/, "");
  if (host.startsWith("[") && host.endsWith("]")) {
    const words = ipv6Words(host.slice(1, -1));
    return words === undefined || isPrivateIpv6(words);
  }
  const v4 = ipv4Bytes(host);
  if (v4) return isPrivateIpv4(v4);
  // The parser takes a hostname ending in a number for IPv4, so none is left here: fail closed.
  if (/^[\d.]*$/.test(host)) return true;
  return PRIVATE_NAMES.has(host) || PRIVATE_SUFFIXES.some((s) => host.endsWith(s));
}

function ipv4Bytes(text: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

function isPrivateIpv4([a, b, c]: number[]): boolean {
  return a === 0 || // "this network", including the unspecified 0.0.0.0
    a === 10 || // private
    (a === 100 && b >= 64 && b <= 127) || // CGNAT 100.64.0.0/10
    a === 127 || // loopback
    (a === 169 && b === 254) || // link-local, including cloud metadata 169.254.169.254
    (a === 172 && b >= 16 && b <= 31) || // private
    (a === 192 && b === 168) || // private
    (a === 192 && b === 0 && c === 0) || // IETF protocol assignments
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224; // multicast, reserved, broadcast
}

/** The eight 16-bit words of an IPv6 address, or `undefined` when it is not one. */
function ipv6Words(text: string): number[] | undefined {
  let s = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const b = ipv4Bytes(dotted[1]);
    if (!b) return undefined;
    s = `${s.slice(0, dotted.index)}${((b[0] << 8) | b[1]).toString(16)}:${
      ((b[2] << 8) | b[3]).toString(16)
    }`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string) =>
    part === ""
      ? []
      : part.split(":").map((g) => /^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN);
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if ([...head, ...tail].some(Number.isNaN)) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const fill = 8 - head.length - tail.length;
  if (fill < 1) return undefined;
  return [...head, ...new Array<number>(fill).fill(0), ...tail];
}

function isPrivateIpv6(w: number[]): boolean {
  const embedded = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  const zero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  // ::/96 (unspecified ::, loopback ::1, IPv4-compatible) and ::ffff:0:0/96 (IPv4-mapped).
  if (zero(0, 5) && (w[5] === 0 || w[5] === 0xffff)) {
    return w[5] === 0 && w[6] === 0 ? true : isPrivateIpv4(embedded(w[6], w[7]));
  }
  // ::ffff:0:0:0/96 (IPv4-translated).
  if (zero(0, 4) && w[4] === 0xffff && w[5] === 0) return isPrivateIpv4(embedded(w[6], w[7]));
  // 64:ff9b::/96 (NAT64): an IPv4 address in the last 32 bits.
  if (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 6)) return isPrivateIpv4(embedded(w[6], w[7]));
  // 2002::/16 (6to4): an IPv4 address in the next 32 bits.
  if (w[0] === 0x2002) return isPrivateIpv4(embedded(w[1], w[2]));
  return (w[0] & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (w[0] & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (w[0] & 0xffc0) === 0xfec0 || // site-local fec0::/10 (deprecated)
    (w[0] & 0xff00) === 0xff00 || // multicast ff00::/8
    (w[0] === 0x100 && zero(1, 4)); // discard-only 100::/64
}

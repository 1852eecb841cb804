/**
 * A list of addresses and networks (`192.0.2.10`, `10.0.0.0/8`,
 * `2001:db8::/32`): the load balancers trusted to send a PROXY header
 * (HAProxy spec §5: accept the protocol only from known sources).
 */
import { BlockList, isIP } from 'node:net';

/** An entry of the list is not an address or CIDR network. */
export class AddressListError extends Error {
  override name = 'AddressListError';
}

/** RFC 4291 §2.5.5.2: `::ffff:192.0.2.1` is the IPv4 address 192.0.2.1. */
export function unmapIPv4(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** Addresses and networks, matched with node:net's BlockList. */
export class AddressList {
  readonly #list = new BlockList();

  private constructor(readonly entries: readonly string[]) {
    for (const entry of entries) this.#add(entry);
  }

  /**
   * The list of `entries`; an IPv4-mapped IPv6 entry counts as IPv4.
   *
   * @throws AddressListError naming the first entry that is neither an IP
   *   address nor `address/prefix` with a prefix the family allows.
   */
  static parse(entries: readonly string[]): AddressList {
    return new AddressList(entries.map((entry) => entry.trim()).filter((entry) => entry !== ''));
  }

  /** No entries: nothing is trusted. */
  get empty(): boolean {
    return this.entries.length === 0;
  }

  /** Whether `address` is one of the addresses or inside one of the networks. */
  includes(address: string): boolean {
    if (this.empty) return false;
    const plain = unmapIPv4(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return this.#list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }

  #add(entry: string): void {
    const [rawAddress = '', prefixText, extra] = entry.split('/');
    const address = unmapIPv4(rawAddress);
    const family = isIP(address);
    if (family === 0 || extra !== undefined) throw new AddressListError(`${JSON.stringify(entry)} is not an IP address or CIDR network`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefixText === undefined) {
      this.#list.addAddress(address, type);
      return;
    }
    const max = family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
      throw new AddressListError(`${JSON.stringify(entry)}: the prefix length must be 0-${max}`);
    }
    this.#list.addSubnet(address, Number(prefixText), type);
  }
}

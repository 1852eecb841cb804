import { describe, expect, it } from 'vitest';
import { listeningInodes } from './listening-process';

const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   107        0 9816 1 000000005327886e 100 0 0 10 0
   1: 0100007F:107E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5887 1 00000000cab53c51 100 0 0 10 0
   2: 0100007F:1538 0100007F:D4C2 01 00000000:00000000 00:00000000 00000000   107        0 77123 1 0000000000000000 20 4 30 10 -1
`;
const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1538 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000   107        0 9817 1 0000000000000000 100 0 0 10 0
`;

describe('listeningInodes', () => {
  it('finds the listening sockets of a port (5432 = 0x1538), not its connections', () => {
    expect(listeningInodes(tcp, 5432)).toEqual([9816]);
    expect(listeningInodes(tcp, 4222)).toEqual([5887]);
  });

  it('reads IPv6 tables the same way', () => {
    expect(listeningInodes(tcp6, 5432)).toEqual([9817]);
  });

  it('finds nothing on a port nobody listens on, or in an empty table', () => {
    expect(listeningInodes(tcp, 6379)).toEqual([]);
    expect(listeningInodes('', 6379)).toEqual([]);
  });
});

/**
 * The private rspamd's local configuration: Debian's /etc/rspamd is the
 * base (CONFDIR), and these files, in a temp LOCAL_CONFDIR, change what a
 * bench instance must not or cannot do. What stays on is what a Postfix
 * user would run to do the platform's checks: SPF, DKIM, DMARC, one DNSBL
 * zone (the bench's), Bayes on a private Redis, the header, MIME, content
 * and HELO rules. Nothing may need the internet, so every module that
 * fetches maps over HTTP (maps.rspamd.com) uses Debian's local copies or is
 * off, and those that ask services of rspamd.com (fuzzy storage, ASN
 * lookups, phishtank) are off. Checked against rspamd 3.4 (bookworm):
 * after start-up its log names no remote map or resolver error.
 */
import { benchDnsblZone } from '../bench-dns';

export interface RspamdPorts {
  /** Proxy workers: one per core, each scanning in its one thread. */
  readonly scanners: number;
  /** The milter port Postfix talks to (the proxy worker, scanning itself). */
  readonly milter: number;
  readonly normal: number;
  readonly controller: number;
  /** The bench's dns2 server, host:port. */
  readonly dns: string;
  /** The private redis-server's port (Bayes and the other Redis users). */
  readonly redis: number;
  /** Where compiled Hyperscan databases are kept between runs (the first start compiles for a minute). */
  readonly hyperscanCache: string;
}

/** Files of LOCAL_CONFDIR, by path relative to it. */
export function rspamdLocalConfig(ports: RspamdPorts): Record<string, string> {
  const disabled = 'enabled = false;\n';
  return {
    // fuzzy_check out of the C filters; loopback clients checked like any other (the bench's client is 127.0.0.1)
    'override.d/options.inc': `filters = "chartable,dkim,regexp";
check_local = true;
local_addrs = [];
hs_cache_dir = "${ports.hyperscanCache}";
dns {
  nameserver = ["${ports.dns}"];
  timeout = 1s;
  sockets = 16;
  retransmits = 5;
}
`,
    'override.d/worker-normal.inc': `bind_socket = "127.0.0.1:${ports.normal}";\ncount = 1;\n`,
    // rspamd's documented milter set-up: the proxy scans what it gets itself (no hop to a normal worker), as many proxies as cores
    'override.d/worker-proxy.inc': `bind_socket = "127.0.0.1:${ports.milter}";
milter = yes;
timeout = 120s;
upstream "local" {
  default = yes;
  self_scan = yes;
}
count = ${ports.scanners};
`,
    'override.d/worker-controller.inc': `bind_socket = "127.0.0.1:${ports.controller}";\n`,
    'local.d/redis.conf': `servers = "127.0.0.1:${ports.redis}";\n`,
    // the bench's zone only, checked for the connecting client (RFC 5782 §2.1), loopback included
    'override.d/rbl.conf': `url_whitelist = ["\${CONFDIR}/maps.d/surbl-whitelist.inc"];
rbls {
  bench {
    symbol = "RBL_BENCH";
    rbl = "${benchDnsblZone}";
    checks = ["from"];
    ipv6 = false;
    exclude_local = false;
    exclude_private_ips = false;
    returncodes {
      RBL_BENCH_LISTED = "127.0.0.2";
    }
  }
}
`,
    'override.d/whitelist.conf': `rules {
  WHITELIST_SPF_DKIM {
    valid_spf = true;
    valid_dkim = true;
    domains = ["\${CONFDIR}/maps.d/spf_dkim_whitelist.inc"];
    score = -3.0;
    inverse_symbol = "BLACKLIST_SPF_DKIM";
  }
  WHITELIST_DMARC {
    valid_dmarc = true;
    domains = ["\${CONFDIR}/maps.d/dmarc_whitelist.inc"];
    score = -7.0;
    inverse_symbol = "BLACKLIST_DMARC";
  }
}
`,
    'override.d/phishing.conf': `phishtank_enabled = false;
openphish_enabled = false;
exceptions {
  REDIRECTOR_FALSE = ["\${CONFDIR}/maps.d/redirectors.inc"];
}
`,
    'override.d/mime_types.conf': `file = ["\${CONFDIR}/maps.d/mime_types.inc"];\n`,
    'override.d/mid.conf': `source {\n  url = ["\${CONFDIR}/maps.d/mid.inc"];\n}\n`,
    // freemail/disposable lists exist only on maps.rspamd.com
    'local.d/multimap.conf': disabled,
    'local.d/fuzzy_check.conf': disabled,
    'local.d/asn.conf': disabled,
    'local.d/neural.conf': disabled,
    'local.d/url_redirector.conf': disabled,
    // a greylisted (4xx) message would be retried by nobody: smtp-source counts it as done
    'local.d/greylist.conf': disabled,
    // like the platform (Junk folder, never a refusal on content), rspamd tags and never rejects: every message is delivered
    'local.d/actions.conf': 'reject = 10000;\ngreylist = null;\n',
  };
}

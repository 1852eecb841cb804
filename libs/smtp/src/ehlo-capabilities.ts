// Client side: read the service extensions a server lists in its EHLO reply
// (RFC 5321 §4.1.1.1 ehlo-ok-rsp).

// RFC 5321 §4.1.1.1: ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
const KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** Extensions by uppercased keyword, each with its parameters (e.g. SIZE → ["26214400"]). */
export type EhloCapabilities = Map<string, string[]>;

/**
 * Parse the lines of a 250 EHLO reply (as `SmtpReply.lines`). The first line
 * is the server's domain and greeting and is skipped; malformed lines are
 * ignored. The old form "AUTH=PLAIN LOGIN" is merged into AUTH.
 */
export function parseEhloCapabilities(lines: readonly string[]): EhloCapabilities {
  const caps: EhloCapabilities = new Map();
  for (const line of lines.slice(1)) {
    const [word = '', ...params] = line.trim().split(/ +/);
    let keyword = word.toUpperCase();
    if (keyword.startsWith('AUTH=')) {
      // Some older servers advertise "AUTH=LOGIN PLAIN" beside or instead of "AUTH LOGIN PLAIN"
      params.unshift(word.slice(5));
      keyword = 'AUTH';
    }
    if (!KEYWORD.test(keyword)) continue;
    const known = caps.get(keyword) ?? [];
    const merged = keyword === 'AUTH' ? [...new Set([...known, ...params.filter((p) => p !== '').map((p) => p.toUpperCase())])] : params;
    caps.set(keyword, merged);
  }
  return caps;
}

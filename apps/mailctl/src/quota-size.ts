/**
 * Quota sizes as an administrator types them: octets (`1048576`), a number
 * with a binary unit (`512K`, `10M`, `1G`, `2T`, also `10MB`, `10MiB`; powers
 * of 1024, as mail clients and Dovecot count), or `none` for no limit.
 */

const units: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** Octets, null for `none`, or undefined when the text is not a size. */
export function parseQuotaSize(text: string): number | null | undefined {
  if (text.toLowerCase() === 'none') return null;
  const match = /^(\d+)(?:([KMGT])(?:i?B)?|B)?$/i.exec(text);
  if (!match) return undefined;
  const bytes = Number(match[1]) * (units[(match[2] ?? '').toUpperCase()] ?? 1);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** JSON payload encoding and schema validation at the boundary. */
import type { z } from 'zod';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Decode and validate; the reason names the offending field. */
export function decodeWith<S extends z.ZodType>(schema: S, data: Uint8Array): Decoded<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(data));
  } catch (error) {
    return { ok: false, reason: `payload is not UTF-8 JSON: ${(error as Error).message}` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, reason: `payload failed validation: ${issues}` };
}

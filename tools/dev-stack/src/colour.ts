/**
 * ANSI colours for terminal output, switched off when stdout is not a
 * terminal or NO_COLOR is set (https://no-color.org), forced with FORCE_COLOR.
 */

/** Names of the styles the launcher uses. */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'grey' | 'brightRed';

const codes: Record<Style, [open: number, close: number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  grey: [90, 39],
  brightRed: [91, 39],
};

/** Wraps text in ANSI escapes; returns it unchanged when colour is off. */
export type Paint = (text: string, ...styles: Style[]) => string;

/** A painter that styles text, or one that leaves it alone. */
export function painter(enabled: boolean): Paint {
  if (!enabled) return (text) => text;
  return (text, ...styles) => styles.reduce((out, style) => `\u001b[${codes[style][0]}m${out}\u001b[${codes[style][1]}m`, text);
}

/** Whether to colour output written to `stream`, honouring NO_COLOR and FORCE_COLOR. */
export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return stream.isTTY === true;
}

/** Removes ANSI escapes, to measure how wide text looks on screen. */
export function visibleText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

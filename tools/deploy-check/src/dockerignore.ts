/**
 * The rules of a .dockerignore file, as Docker applies them to the build
 * context: patterns are paths relative to the context root with `*` (within
 * one path segment), `?` and `**` (any number of segments); `!` re-includes;
 * the last pattern that matches a path or one of its parent folders decides.
 * (moby/patternmatcher `MatchesOrParentMatches`.)
 */

interface IgnoreRule {
  readonly source: string;
  readonly negated: boolean;
  readonly pattern: RegExp;
}

export class DockerIgnore {
  private constructor(private readonly rules: readonly IgnoreRule[]) {}

  /** Reads the text of an ignore file: one pattern a line, `#` comments. */
  static parse(text: string): DockerIgnore {
    const rules: IgnoreRule[] = [];
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const negated = line.startsWith('!');
      const path = cleanPattern(negated ? line.slice(1).trim() : line);
      if (path === '') continue;
      rules.push({ source: line, negated, pattern: patternToRegExp(path) });
    }
    return new DockerIgnore(rules);
  }

  /** True when `path` (relative to the context root, forward slashes) is left out of the context. */
  excludes(path: string): boolean {
    const candidates = withParents(cleanPattern(path));
    let excluded = false;
    for (const rule of this.rules) {
      if (candidates.some((candidate) => rule.pattern.test(candidate))) excluded = !rule.negated;
    }
    return excluded;
  }
}

/** Like Go's filepath.Clean for the forms ignore files use: no leading `/` or `./`, no trailing `/`. */
function cleanPattern(path: string): string {
  return path
    .replace(/^(\.\/|\/)+/, '')
    .replace(/\/+$/, '')
    .replace(/\/{2,}/g, '/');
}

/** `a/b/c` → [`a/b/c`, `a/b`, `a`]. */
function withParents(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, index) => parts.slice(0, parts.length - index).join('/'));
}

/** Translates one pattern to an anchored regular expression. */
export function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          source += '(?:.*/)?'; // `**/`: zero or more folders
        } else {
          source += '.*';
        }
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '\\' && i + 1 < pattern.length) {
      i++;
      source += escapeRegExp(pattern[i] as string);
    } else {
      source += escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

import { defineContentRule } from './content-rule';

/** X-Priority: 1 (highest), set by bulk software to stand out; people rarely mark mail urgent. */
export default defineContentRule({
  name: 'X_PRIORITY_HIGH',
  score: 0.5,
  description: 'X-Priority: 1 (highest).',
  test: (view) => /^1\b/.test(view.header('x-priority') ?? ''),
});

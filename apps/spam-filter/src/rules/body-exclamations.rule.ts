import { defineContentRule } from './content-rule';

const many = 4;

/** Text with runs of exclamation marks (`!!!`), over and over: a sales pitch's punctuation. */
export default defineContentRule({
  name: 'BODY_EXCLAIM_RUNS',
  score: 0.5,
  description: `The text has ${many} or more runs of three or more exclamation marks.`,
  test: (view) => {
    const text = view.text !== '' ? view.text : view.htmlVisibleText;
    return (text.slice(0, 64 * 1024).match(/!{3,}/g)?.length ?? 0) >= many;
  },
});

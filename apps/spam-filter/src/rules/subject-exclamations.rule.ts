import { defineContentRule } from './content-rule';

const many = 3;

/** A subject with several exclamation marks: excitement is a sales tone. */
export default defineContentRule({
  name: 'SUBJ_EXCLAIM',
  score: 0.5,
  description: `The subject has ${many} or more exclamation marks.`,
  test: (view) => (view.subject.match(/!/g)?.length ?? 0) >= many,
});

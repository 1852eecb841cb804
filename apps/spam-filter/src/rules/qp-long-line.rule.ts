import { defineContentRule } from './content-rule';

/** RFC 2045 §6.7 rule 5: quoted-printable lines are at most 76 characters; longer ones come from hand-made encoders. */
export default defineContentRule({
  name: 'MIME_QP_LONG_LINE',
  score: 0.5,
  description: 'A quoted-printable part has a line over 76 characters.',
  test: (view) => view.textParts.some((part) => part.transferEncoding === 'quoted-printable' && /^[^\r\n]{77,}/m.test(part.body.slice(0, 64 * 1024))),
});

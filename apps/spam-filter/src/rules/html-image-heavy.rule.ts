import { defineContentRule } from './content-rule';

/** Visible characters under which an HTML message with images says almost nothing in words. */
const fewCharacters = 400;

/**
 * An HTML message that shows images but hardly any text: the sales pitch is
 * in a picture, out of reach of text filters (SpamAssassin's
 * HTML_IMAGE_ONLY_* and HTML_IMAGE_RATIO_* rules).
 */
export default defineContentRule({
  name: 'HTML_IMAGE_ONLY',
  score: 1,
  description: `HTML with images and fewer than ${fewCharacters} characters of visible text, and no text part saying more.`,
  test: (view) => {
    if (view.html === '' || view.htmlImages === 0) return false;
    const plain = view.textParts.some((part) => part.contentType === 'text/plain') ? view.text.trim().length : 0;
    return view.htmlVisibleText.length < fewCharacters && plain < fewCharacters;
  },
});

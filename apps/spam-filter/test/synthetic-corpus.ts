/**
 * A small, reproducible mail corpus built by the tests (the SpamAssassin
 * public corpus is not installed): spam and ham messages drawn from word
 * lists with a seeded generator. Realistic enough to be hard for a naive
 * rule: most words of every message are common to both classes, some words
 * of each class leak into the other, subjects and senders vary, and MIME
 * forms vary (plain, HTML-only, quoted-printable, multipart).
 */

const common = `the and you your for this with have will please today now time new information just get more about from that are our
can all here what when there would like one which their out them some other into only over also back after first well way even want
because any these give day most people year work know take good see come think look make very need two how great still find help`.split(/\s+/);

const hamWords = `meeting project schedule report agenda minutes review draft attached thanks regards lunch tomorrow budget quarterly deadline
notes slides colleague team sprint release deploy repository branch merge feedback family dinner weekend kids school birthday photos
trip holiday garden recipe book library concert rehearsal invoice receipt appointment dentist doctor neighbour parcel delivery train
ticket conference paper thesis seminar lecture homework grandma cousin wedding anniversary football practice bicycle repair plumber`.split(/\s+/);

const spamWords = `free winner prize cheap pills casino bitcoin investment guaranteed click offer limited urgent lottery claim bonus discount
loan credit unsubscribe million inheritance viagra pharmacy replica watches weight loss miracle cash earn income risk exclusive deal
congratulations selected reward jackpot crypto profit double wealth secret amazing act fast expire password verify account suspended
beneficiary transfer dear friend luxury rolex meds prescription enlargement singles dating hot girls`.split(/\s+/);

const hamDomains = ['work.test', 'family.test', 'university.test', 'club.test', 'library.test'];
const hamNames = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
const spamTlds = ['top', 'xyz', 'biz', 'click', 'info', 'ru'];

export interface CorpusMessage {
  readonly kind: 'spam' | 'ham';
  readonly raw: Buffer;
}

/** mulberry32: a tiny seeded PRNG, so every run builds the same corpus. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildCorpus(count: number, seed = 42): { spam: CorpusMessage[]; ham: CorpusMessage[] } {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const words = (n: number, own: readonly string[], other: readonly string[]) =>
    Array.from({ length: n }, () => {
      const roll = random();
      return roll < 0.6 ? pick(common) : roll < 0.85 ? pick(own) : pick(other);
    }).join(' ');
  const spamDomain = () => `${pick(spamWords)}-${pick(spamWords)}${Math.floor(random() * 100)}.${pick(spamTlds)}`;

  function message(kind: 'spam' | 'ham', i: number): CorpusMessage {
    const [own, other] = kind === 'spam' ? [spamWords, hamWords] : [hamWords, spamWords];
    const from = kind === 'spam' ? `${pick(spamWords)}@${spamDomain()}` : `${pick(hamNames)}@${pick(hamDomains)}`;
    const subject = words(3 + Math.floor(random() * 4), own, other);
    const paragraphs = Array.from({ length: 2 + Math.floor(random() * 3) }, () => words(15 + Math.floor(random() * 25), own, other));
    if (kind === 'spam' && random() < 0.7) paragraphs.push(`${pick(spamWords)} here: http://www.${spamDomain()}/${pick(spamWords)}?id=${i}`);
    if (kind === 'ham' && random() < 0.3) paragraphs.push(`Notes are at https://docs.${pick(hamDomains)}/${pick(hamWords)}`);
    const headers = [`From: ${from}`, `To: bob@example.test`, `Subject: ${subject}`, `Message-ID: <${kind}-${seed}-${i}@corpus.test>`, `Date: Sat, 21 Nov 2026 10:00:00 +0000`, 'MIME-Version: 1.0'];
    const form = random();
    let body: string;
    if (form < 0.25) {
      headers.push('Content-Type: text/html; charset=utf-8');
      body = `<html><body>${paragraphs.map((p) => `<p>${p}</p>`).join('\r\n')}</body></html>`;
    } else if (form < 0.4) {
      headers.push('Content-Type: multipart/alternative; boundary="b1"');
      body = [
        '--b1',
        'Content-Type: text/plain; charset=utf-8',
        '',
        paragraphs.join('\r\n\r\n'),
        '--b1',
        'Content-Type: text/html; charset=utf-8',
        '',
        `<p>${paragraphs.join('</p><p>')}</p>`,
        '--b1--',
      ].join('\r\n');
    } else {
      headers.push('Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable');
      body = paragraphs.join('\r\n\r\n').replace(/=/g, '=3D');
    }
    return { kind, raw: Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}\r\n`) };
  }

  return {
    spam: Array.from({ length: count }, (_, i) => message('spam', i)),
    ham: Array.from({ length: count }, (_, i) => message('ham', i)),
  };
}

/**
 * The training side of the filter on the bus: `spam.train` requests from
 * mailctl, `spam.stats` requests (with the users' moves per day), and
 * `feedback.classified` events (a user moved a message into or out of Junk:
 * counted, then learned). Learning is idempotent, so a
 * redelivered event or a repeated `mailctl spam train` changes nothing.
 */
import { BodyNotFoundError, PermanentError, RemoteError, type BodyStore } from '@mail/bus';
import { SPAM_TRAIN_MAX_OCTETS, type FeedbackClassified, type Requests, type RequestPayload, type ResponsePayload, type DnsListZoneState } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import type { BayesClassifier } from '../bayes/bayes-classifier';
import type { TokenStore } from '../bayes/token-store';
import { readBodyPrefix } from '../content/body-prefix';
import type { FeedbackCounts } from './feedback-counts';
import type { Learner } from './learner';

type TrainRequest = RequestPayload<typeof Requests.spamTrain>;
type TrainResponse = ResponsePayload<typeof Requests.spamTrain>;
type StatsRequest = RequestPayload<typeof Requests.spamStats>;
type StatsResponse = ResponsePayload<typeof Requests.spamStats>;

/** Days of feedback a stats request gets when it names none. */
const defaultFeedbackDays = 14;

export function createTrainHandler(learner: Learner, log: Pick<Logger, 'info'>): (request: TrainRequest) => Promise<TrainResponse> {
  return async (request) => {
    const raw = Buffer.from(request.message, 'base64');
    if (raw.length > SPAM_TRAIN_MAX_OCTETS) throw new RemoteError('too-large', `a training message carries at most ${SPAM_TRAIN_MAX_OCTETS} octets`);
    const response = await learner.learn(raw, request.class);
    log.info({ class: request.class, outcome: response.outcome, tokens: response.tokens, source: request.source }, 'message learned');
    return response;
  };
}

export interface StatsSources {
  readonly classifier: BayesClassifier;
  readonly store: TokenStore;
  readonly feedback: Pick<FeedbackCounts, 'lastDays'>;
  zones(): Promise<DnsListZoneState[]>;
}

export function createStatsHandler(sources: StatsSources): (request: StatsRequest) => Promise<StatsResponse> {
  return async (request) => {
    const [corpus, tokens, zones, feedback] = await Promise.all([
      sources.store.corpusSize(),
      sources.store.tokenCounts(),
      sources.zones(),
      sources.feedback.lastDays(request.feedbackDays ?? defaultFeedbackDays),
    ]);
    return {
      spamMessages: corpus.spam,
      hamMessages: corpus.ham,
      spamTokens: tokens.spam,
      hamTokens: tokens.ham,
      minMessages: sources.classifier.minMessages,
      active: sources.classifier.isActive(corpus),
      zones,
      feedback,
    };
  };
}

/** Counts the move (feedback-counts.ts: once per event, whatever the learning's outcome), then learns the message. */
export function createFeedbackHandler(learner: Learner, bodies: BodyStore, log: Pick<Logger, 'info'>, counts: Pick<FeedbackCounts, 'record'>): (event: FeedbackClassified) => Promise<void> {
  return async (event) => {
    await counts.record(event);
    let raw: Buffer;
    if (event.content.kind === 'inline') {
      raw = Buffer.from(event.content.base64, 'base64');
    } else {
      const stored = event.content.body;
      raw = (
        await readBodyPrefix(bodies, stored).catch((error: unknown) => {
          // A body that is gone will not come back: retrying cannot help.
          if (error instanceof BodyNotFoundError) throw new PermanentError(`feedback body ${stored.key} not found`, { cause: error });
          throw error;
        })
      ).bytes;
    }
    const response = await learner.learn(raw, event.verdict);
    log.info({ user: event.user, queueId: event.queueId, verdict: event.verdict, outcome: response.outcome }, 'feedback learned');
  };
}

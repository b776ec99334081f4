/** View types for the service pulse, shared by the model, the page, its components and the CSV export. */

export type ServiceLevels = {
  /** Questions asked in the period. */
  asked: number;
  /** Of those, how many got a response from someone else (so far). */
  responded: number;
  /** Hours from asking to the first response: median and 90th percentile, over the questions that got one. */
  firstResponseMedianHours: number | null;
  firstResponseP90Hours: number | null;
  /** Hours from asking to the accepted answer (median over solved questions). */
  acceptedMedianHours: number | null;
  /** Share of the questions asked at least 24 h ago that got an answer from someone else within 24 h. */
  answeredWithin24hShare: number | null;
  solvedShare: number | null;
  solved: number;
  /** Askers' ratings of the help they got ("How well were you helped?", 1–5). */
  ratings: number;
  ratingAverage: number | null;
  /** Plain-language questions whose asker said whether the answer was easy to understand, and the share who said yes. */
  plainLanguageRated: number;
  plainLanguageShare: number | null;
  /** "Did this help?" answers on how-tos in the period, and the share of yes. */
  howtoVotes: number;
  howtoHelpfulShare: number | null;
  /** Open questions (of any age) with no answer from someone else. */
  unansweredBacklog: number;
};

/** One day (or week) of the trend charts. */
export type TrendBucket = {
  start: Date;
  end: Date;
  asked: number;
  firstResponseMedianHours: number | null;
  answeredWithin24hShare: number | null;
  solvedShare: number | null;
};

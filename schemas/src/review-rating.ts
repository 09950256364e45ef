// A review's rating: a 1-5 score and its sentiment (what segments and the `ratings` filter of an
// event entry read). One definition for imports, events and the demo shop.
import type { ReviewRating } from './events.ts';

/** 4-5 positive, 3 neutral, 1-2 negative. */
export function sentimentOfScore(score: number): ReviewRating {
  return score >= 4 ? 'positive' : score === 3 ? 'neutral' : 'negative';
}

/** The score stored for a review known only by its sentiment (好评 / 中评 / 差评). */
export const scoreOfSentiment: Readonly<Record<ReviewRating, number>> = { positive: 5, neutral: 3, negative: 1 };

/** The marketplaces' words for the three sentiments. */
export const reviewRatingWords: Readonly<Record<string, ReviewRating>> = {
  好评: 'positive',
  中评: 'neutral',
  差评: 'negative',
};

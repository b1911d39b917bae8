// Statistics core: pure functions from samples to the regression-check report's figures and decision.

export type * from './types.ts';
export { analyzeMetric, DEFAULT_ANALYSIS_OPTIONS, DEFAULT_SEVERITY_THRESHOLDS, gradeSeverity, relativeChangeOf } from './analyze.ts';
export { alphaPerCheck, holmStepDown, obrienFlemingSpent, type HolmDecision } from './alpha.ts';
export { holmCorrection } from './metrics-correction.ts';
export { alternativeFor, type Alternative } from './alternative.ts';
export {
  compensatedSum,
  mean,
  medianOfSorted,
  moments,
  percentileOfSorted,
  sortedCopy,
  summarizeSorted,
  variance,
  type Moments,
} from './descriptive.ts';
export { effectSize, hedgesCorrection, magnitudeOf, MAGNITUDE_BOUNDS } from './effect-size.ts';
export { logBeta, logGamma } from './gamma.ts';
export { hodgesLehmann, type HodgesLehmann } from './hodges-lehmann.ts';
export { regularizedBeta, regularizedBetaPair } from './incomplete-beta.ts';
export { regularizedGammaPair } from './incomplete-gamma.ts';
export {
  EXACT_MAX_SMALLER_SAMPLE,
  exactUpperTail,
  mannWhitneyTest,
  rankSums,
  uStandardDeviation,
  type MannWhitneyTest,
  type RankSums,
} from './mann-whitney.ts';
export { normalCdf, normalPdf, normalQuantile, normalSf, normalUpperQuantile } from './normal.ts';
export { IQR_FENCE, keptInOrder, MAD_CONSISTENCY, MAD_THRESHOLD, outlierFilter, type OutlierFilter } from './outliers.ts';
export { medianPairwiseDifference, PairwiseDifferences } from './pairwise-differences.ts';
export { medianInPlace, selectInPlace } from './select.ts';
export { studentTCdf, studentTPdf, studentTSf, studentTUpperQuantile } from './student-t.ts';
export { bucketMedians, mannKendall, MAX_TREND_POINTS, MIN_TREND_POINTS, senSlope, trendOf, type MannKendall } from './trend.ts';
export { welchMeanDifferenceInterval, welchTTest, type WelchTest } from './welch.ts';

import { describe, expect, it } from '@jest/globals';
import { chiSquare1Survival, erfc, sampleRatioCheck } from './sample-ratio.ts';

// reference values from scipy 1.10 (scipy.special.erfc, scipy.stats.chisquare)
describe('sample-ratio check', () => {
  it('erfc matches scipy within the approximation error', () => {
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 6);
    expect(erfc(2.5) / 0.00040695201744495886).toBeCloseTo(1, 5);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 6);
    expect(chiSquare1Survival(0)).toBe(1);
  });

  it('computes Pearson chi-square and its p-value like scipy.stats.chisquare', () => {
    const fine = sampleRatioCheck(103, 897, 0.1)!;
    expect(fine.chiSquare).toBeCloseTo(0.1, 10);
    expect(fine.pValue).toBeCloseTo(0.7518296340458492, 6);
    expect(fine.mismatch).toBe(false);
    const borderline = sampleRatioCheck(130, 870, 0.1)!;
    expect(borderline.chiSquare).toBeCloseTo(10, 10);
    expect(borderline.pValue).toBeCloseTo(0.001565402258002549, 6);
    expect(borderline.mismatch).toBe(false);
    const skewed = sampleRatioCheck(300, 700, 0.1)!;
    expect(skewed.chiSquare).toBeCloseTo(444.444, 2);
    expect(skewed.pValue).toBeLessThan(1e-90);
    expect(skewed).toMatchObject({ mismatch: true, observedShare: 0.3, intendedWeight: 10 });
  });

  it('is undefined with no requests or a share of 0 or 1', () => {
    expect(sampleRatioCheck(0, 0, 0.1)).toBeNull();
    expect(sampleRatioCheck(10, 0, 1)).toBeNull();
    expect(sampleRatioCheck(0, 10, 0)).toBeNull();
  });
});

import { describe, expect, test } from '@jest/globals';
import { fromRecord, InputReader } from '../action/index.ts';
import { parseSeverityThresholds, parseTests, readMetricSettings } from './settings.ts';
import { OPTIONS, SETTINGS } from './fixtures.test-helpers.ts';

const read = (record: Record<string, unknown>) => readMetricSettings(new InputReader(fromRecord(record)), SETTINGS);

describe('readMetricSettings', () => {
  test('absent keys keep the base, present ones override', () => {
    expect(read({})).toEqual(SETTINGS);
    const settings = read({ direction: 'higher-is-better', alpha: 0.01, 'check-index': 2, 'checks-planned': 4, range: '1h', step: '1m', column: 'ms' });
    expect(settings.options).toMatchObject({ direction: 'higher-is-better', alpha: 0.01, check_index: 2, checks_planned: 4 });
    expect(settings).toMatchObject({ column: 'ms', window: { rangeMs: 3_600_000 }, stepSeconds: 60 });
  });
  test.each([
    [{ alpha: '0' }, "Input 'alpha': 0 is outside (0, 1)"],
    [{ alpha: 1.5 }, "Input 'alpha': 1.5 is outside (0, 1)"],
    [{ alpha: 'five percent' }, "Input 'alpha': 'five percent' is not a finite number"],
    [{ 'confidence-level': 1 }, "Input 'confidence-level'"],
    [{ direction: 'down' }, "Input 'direction': unknown value 'down'; use one of: lower-is-better, higher-is-better, two-sided"],
    [{ outliers: 'zscore' }, "Input 'outliers': unknown value 'zscore'"],
    [{ 'check-index': 3, 'checks-planned': 2 }, "Input 'check-index': 3 is beyond checks-planned (2)"],
    [{ 'checks-planned': 1.5 }, "Input 'checks-planned': '1.5' must be a whole number"],
    [{ step: '0s' }, "Input 'step': must be longer than 0s"],
    [{ range: 'half an hour' }, "Input 'range': 'half an hour' is not a duration"],
  ])('%p is refused with a message naming the input', (record, message) => {
    expect(() => read(record)).toThrow(message);
  });
});

describe('parseTests', () => {
  test('reads names in any common spelling, once each', () => {
    expect(parseTests('t_test, Mann-Whitney')).toEqual(['t_test', 'mann_whitney']);
    expect(parseTests('["welch", "t-test"]')).toEqual(['t_test']);
  });
  test('an unknown test name is refused with the known ones', () => {
    expect(() => parseTests('t_test,ks_test')).toThrow("Input 'tests': unknown test 'ks_test'; use t_test and/or mann_whitney");
    expect(() => parseTests(' , ')).toThrow("Input 'tests': is empty");
  });
});

describe('parseSeverityThresholds', () => {
  const base = OPTIONS.severity_thresholds;
  test('key=value pairs or a mapping override single thresholds', () => {
    expect(parseSeverityThresholds('major-effect=0.3, critical_change=0.5', base)).toEqual({ ...base, major_effect: 0.3, critical_change: 0.5 });
    expect(parseSeverityThresholds('{"critical-effect": 1.2}', base)).toEqual({ ...base, critical_effect: 1.2 });
  });
  test('unknown keys, bad numbers and inverted thresholds are refused', () => {
    expect(() => parseSeverityThresholds('huge=1', base)).toThrow("unknown threshold 'huge'");
    expect(() => parseSeverityThresholds('major-effect=-1', base)).toThrow('must be a number ≥ 0');
    expect(() => parseSeverityThresholds('major-effect=0.9', base)).toThrow('each major threshold must be at most its critical one');
  });
});

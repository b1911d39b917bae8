import { describe, expect, test } from '@jest/globals';
import { escapeHelp, escapeLabelValue, ExpositionError, isValidLabelName, isValidMetricName, renderExposition, type MetricFamily } from './exposition.ts';

const gauge = (name: string, samples: MetricFamily['samples'], help = 'help text'): MetricFamily => ({ name, help, type: 'gauge', samples });

describe('renderExposition', () => {
  test('HELP and TYPE once per family, labels sorted by name, one line per sample, no timestamps', () => {
    const text = renderExposition([
      gauge('a_ratio', [
        { labels: { metric: 'latency', direction: 'lower-is-better' }, value: 0.25 },
        { labels: { metric: 'cost', direction: 'lower-is-better' }, value: 1e-7 },
      ]),
      gauge('b_total', [{ labels: {}, value: 3 }], 'plain'),
    ]);
    expect(text).toBe(
      [
        '# HELP a_ratio help text',
        '# TYPE a_ratio gauge',
        'a_ratio{direction="lower-is-better",metric="latency"} 0.25',
        'a_ratio{direction="lower-is-better",metric="cost"} 1e-7',
        '# HELP b_total plain',
        '# TYPE b_total gauge',
        'b_total 3',
        '',
      ].join('\n'),
    );
  });

  test('label values escape backslash, double quote and newline; other characters pass through', () => {
    expect(escapeLabelValue('C:\\tmp "x"\nnext\ttab ünï/😀')).toBe('C:\\\\tmp \\"x\\"\\nnext\ttab ünï/😀');
    const text = renderExposition([gauge('m', [{ labels: { path: 'a\\b"c\nd' }, value: 1 }])]);
    expect(text).toContain('m{path="a\\\\b\\"c\\nd"} 1\n');
    // A backslash before a quote must not become an escaped quote that swallows the closing one.
    expect(escapeLabelValue('\\"')).toBe('\\\\\\"');
  });

  test('HELP escapes backslash and newline but keeps quotes', () => {
    expect(escapeHelp('say "hi"\\n\nnext')).toBe('say "hi"\\\\n\\nnext');
  });

  test('metric and label names follow the Prometheus rules; __ label names are reserved', () => {
    for (const name of ['up', 'model_cicd:ratio', '_x', 'a1']) expect(isValidMetricName(name)).toBe(true);
    for (const name of ['1a', 'a-b', '', 'a b', 'é']) expect(isValidMetricName(name)).toBe(false);
    for (const name of ['metric', '_x', 'a1']) expect(isValidLabelName(name)).toBe(true);
    for (const name of ['__name__', '__x', 'a:b', '1a', 'a-b', '']) expect(isValidLabelName(name)).toBe(false);
    expect(() => renderExposition([gauge('bad-name', [{ labels: {}, value: 1 }])])).toThrow(/'bad-name' is not a valid metric name/);
    expect(() => renderExposition([gauge('m', [{ labels: { 'bad-label': 'x' }, value: 1 }])])).toThrow(/invalid label name 'bad-label'/);
    expect(() => renderExposition([gauge('m', [{ labels: { __name__: 'x' }, value: 1 }])])).toThrow(ExpositionError);
  });

  test('NaN and infinities are refused, never written', () => {
    for (const value of [NaN, Infinity, -Infinity]) {
      expect(() => renderExposition([gauge('m', [{ labels: { a: 'b' }, value }])])).toThrow(/non-finite value/);
    }
  });

  test('duplicate series and duplicate families are refused (the Pushgateway would reject the push)', () => {
    expect(() =>
      renderExposition([
        gauge('m', [
          { labels: { a: '1', b: '2' }, value: 1 },
          { labels: { b: '2', a: '1' }, value: 2 },
        ]),
      ]),
    ).toThrow(/two samples with the labels \{a="1",b="2"\}/);
    expect(() => renderExposition([gauge('m', [{ labels: {}, value: 1 }]), gauge('m', [{ labels: { x: 'y' }, value: 1 }])])).toThrow(/appears twice/);
  });

  test('a family without samples is left out entirely; nothing at all renders as the empty string', () => {
    expect(renderExposition([gauge('empty', []), gauge('m', [{ labels: {}, value: -0 }])])).toBe('# HELP m help text\n# TYPE m gauge\nm 0\n');
    expect(renderExposition([])).toBe('');
  });
});

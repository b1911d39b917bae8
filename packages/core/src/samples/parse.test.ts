import { describe, expect, test } from '@jest/globals';
import { parseCsvColumn, parseCsvRows, parseJsonArray, parseLines, parseNumberToken, parseSampleText, requireMinimumSize, SampleError } from './parse.ts';

describe('parseNumberToken', () => {
  test('accepts plain decimals and exponents', () => {
    expect(['12', '-0.5', '+.25', '1e3', '2.5E-2'].map((t) => parseNumberToken(t, 'x'))).toEqual([12, -0.5, 0.25, 1000, 0.025]);
  });
  test.each([
    ['NaN', /NaN and Infinity cannot be compared/],
    ['-Infinity', /NaN and Infinity/],
    ['inf', /NaN and Infinity/],
    ['1e999', /overflows to Infinity/],
    ['0x1f', /'0x1f', not a number/],
    ['12ms', /'12ms', not a number/],
    ['', /is empty/],
  ])('rejects %p', (token, message) => {
    expect(() => parseNumberToken(token, 'line 3')).toThrow(message);
    expect(() => parseNumberToken(token, 'line 3')).toThrow(/^line 3 /);
  });
});

describe('parseJsonArray', () => {
  test('reads numbers', () => expect(parseJsonArray('[1, 2.5, -3]')).toEqual([1, 2.5, -3]));
  test('names the non-numeric value and its position', () => {
    expect(() => parseJsonArray('[1, "fast", 3]')).toThrow('value 2 is the string "fast", not a number');
    expect(() => parseJsonArray('[1, null]')).toThrow('value 2 is null');
  });
  test('names NaN and Infinity, which JSON itself cannot hold', () => {
    expect(() => parseJsonArray('[1, 2, NaN]')).toThrow('value 3 is NaN');
    expect(() => parseJsonArray('[Infinity, 2]')).toThrow('value 1 is Infinity');
  });
  test('rejects a non-array and broken JSON', () => {
    expect(() => parseJsonArray('{"a": 1}')).toThrow('an object, not an array');
    expect(() => parseJsonArray('[1, 2,]')).toThrow('value 3 is empty');
    expect(() => parseJsonArray('[1, 2')).toThrow('not a valid JSON array');
  });
});

describe('parseLines', () => {
  test('skips blank lines and comments, names the bad line', () => {
    expect(parseLines('# latency\n1\n\n2.5\r\n3\n')).toEqual([1, 2.5, 3]);
    expect(() => parseLines('1\n2\nabc\n')).toThrow("line 3 is 'abc', not a number");
  });
});

describe('parseCsvColumn', () => {
  const csv = 'request,route,latency_ms,cost\n1,/a,120,0.01\n2,"/b,c",130,0.02\n';
  test('defaults to the first numeric column', () => expect(parseCsvColumn('route,latency\n/a,5\n/b,6\n')).toEqual([5, 6]));
  test('selects a column by name or 1-based position', () => {
    expect(parseCsvColumn(csv, 'latency_ms')).toEqual([120, 130]);
    expect(parseCsvColumn(csv, '4')).toEqual([0.01, 0.02]);
  });
  test('a first row of numbers is data, not a header', () => expect(parseCsvColumn('1,10\n2,20\n', '2')).toEqual([10, 20]));
  test('an unknown column lists the real ones', () => {
    expect(() => parseCsvColumn(csv, 'latency')).toThrow("no column 'latency'; its columns are 'request', 'route', 'latency_ms', 'cost'");
  });
  test('a bad cell names its row and column', () => {
    expect(() => parseCsvColumn('latency\n1\nslow\n')).toThrow("row 3, column 'latency', is 'slow'");
    expect(() => parseCsvColumn('a,latency\nx,1\ny,\n', 'latency')).toThrow("row 3, column 'latency', is empty");
  });
  test('semicolon and tab exports, byte-order marks and CRLF line ends are read', () => {
    expect(parseCsvColumn('run;latency_ms\r\n1;1,5\r\n2;2\r\n', '1')).toEqual([1, 2]);
    expect(() => parseCsvColumn('run;latency_ms\n1;1,5\n', 'latency_ms')).toThrow("row 2, column 'latency_ms', is '1,5', written with a decimal comma; write it as 1.5.");
    expect(parseCsvColumn('a\tb\nx\t3\ny\t4\n')).toEqual([3, 4]);
    expect(parseSampleText('\uFEFFlatency_ms\n5\n6\n', 'csv', 'latency_ms')).toEqual([5, 6]);
    expect(parseSampleText('\uFEFF[1, 2]', 'json')).toEqual([1, 2]);
  });
  test('quoted fields keep commas, quotes and newlines', () => {
    expect(parseCsvRows('a,b\n"x, ""y""\nz",2\n')).toEqual([['a', 'b'], ['x, "y"\nz', '2']]);
  });
});

test('requireMinimumSize wants two values', () => {
  expect(() => requireMinimumSize([1])).toThrow(SampleError);
  expect(() => requireMinimumSize([])).toThrow('holds no values');
  expect(() => requireMinimumSize([1, 2])).not.toThrow();
});

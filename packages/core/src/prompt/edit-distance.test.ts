import { describe, expect, it } from '@jest/globals';
import { closestName, editDistance } from './edit-distance.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('topic', 'topic')).toBe(0);
    expect(editDistance('topc', 'topic')).toBe(1);
    expect(editDistance('tpoic', 'topic')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('Topic', 'topic')).toBe(0);
  });
});

describe('closestName', () => {
  it('suggests near misses and style variants, not unrelated names', () => {
    expect(closestName('topc', ['style', 'topic'])).toBe('topic');
    expect(closestName('userName', ['user_name', 'username2'])).toBe('user_name');
    expect(closestName('audiense', ['audience'])).toBe('audience');
    expect(closestName('x', ['y', 'z'])).toBeUndefined();
    expect(closestName('ab', ['a_b'])).toBe('a_b');
    expect(closestName('question', ['style', 'topic'])).toBeUndefined();
    expect(closestName('topic', ['topic'])).toBeUndefined();
  });
});

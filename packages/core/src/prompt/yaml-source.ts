// YAML parsed with node ranges kept, so every value can be traced back to its file line and column.
import { type Document, isMap, isScalar, isSeq, type Node, parseDocument, type Scalar, type YAMLMap } from 'yaml';
import type { Finding, SourceSegment } from './types.ts';
import { finding } from './findings.ts';
import { type FilePosition, type ScalarStyle, offsetToPosition, scalarSegments } from './source-map.ts';

/** A YAML text that sits at `offset` in `file` (front-matter starts after the opening `---`). */
export interface YamlSource {
  file: string;
  /** The whole file's text and line starts: positions are computed against the file. */
  fileText: string;
  lineStarts: readonly number[];
  offset: number;
}

export interface ParsedYaml {
  document: Document.Parsed | undefined;
  findings: Finding[];
}

/** Parses YAML; syntax errors become findings at their file position with `hint` appended. */
export function parseYaml(text: string, source: YamlSource, check: string, hint: string): ParsedYaml {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  const findings = document.errors.map((error) =>
    finding(source.file, positionOf(source, error.pos[0]), 'syntax', 'error', check, `${firstLine(error.message)}. ${hint}`),
  );
  return { document: findings.length > 0 ? undefined : document, findings };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/\.$/, '');
}

export function positionOf(source: YamlSource, offset: number): FilePosition {
  return offsetToPosition(source.lineStarts, source.offset + Math.max(0, offset));
}

export function nodePosition(source: YamlSource, node: Node | null | undefined): FilePosition {
  return positionOf(source, node?.range?.[0] ?? 0);
}

/** The pair whose key is `key` in a map node, with the key node for positions. */
export function mapEntries(map: YAMLMap): Array<{ key: string; keyNode: Node; value: Node | null }> {
  const entries: Array<{ key: string; keyNode: Node; value: Node | null }> = [];
  for (const pair of map.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    entries.push({ key, keyNode, value: (pair.value as Node | null) ?? null });
  }
  return entries;
}

/** The file segments of a string scalar's characters (block scalars are de-indented in the value). */
export function stringSegments(source: YamlSource, node: Scalar<string>): { line: number; column: number; segments: SourceSegment[] } {
  const [start, end] = node.range ?? [0, 0];
  const style = (node.type ?? 'PLAIN') as ScalarStyle;
  const segments = scalarSegments(node.value, source.fileText, source.lineStarts, source.offset + start, source.offset + end, style);
  const first = segments[0];
  return { line: first.line, column: first.column, segments };
}

export function toJS(node: Node | null | undefined, document: Document.Parsed): unknown {
  if (node === null || node === undefined) return null;
  return node.toJS(document);
}

export { isMap, isScalar, isSeq };

// Finds citations of the project's reference documents (docs/metrics.md,
// docs/capture-format.md) in a text and reports the ones that do not hold: a document
// named without its docs/ path, a section number that is no heading of the cited
// document, a section number that cites no document, a markdown link whose target
// file or #anchor does not exist.

import { posix } from 'node:path';

/** The reference documents, by file name in docs/. */
export const CITED_DOCS = ['metrics.md', 'capture-format.md'] as const;

/** What the checker knows of one reference document. */
export interface DocOutline {
  /** section numbers of its numbered headings: "7", "4.2" */
  sections: Set<string>;
  /** GitHub anchors of all its headings */
  anchors: Set<string>;
}

export interface CitationProblem {
  file: string;
  line: number;
  problem: string;
}

/** The GitHub anchor of a heading text: lower case, punctuation dropped, spaces to dashes. */
export function headingSlug(text: string): string {
  return text
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Section numbers and anchors of a markdown document. */
export function outlineOf(markdown: string): DocOutline {
  const sections = new Set<string>();
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const text = h[1]!;
    const number = /^(\d+(?:\.\d+)*)\.?\s/.exec(text);
    if (number) sections.add(number[1]!);
    const slug = headingSlug(text);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return { sections, anchors };
}

// A document name with whatever path precedes it: "docs/metrics.md", "../../docs/metrics.md", "metrics.md".
const DOC_NAME = /(?<![\w.-])((?:[\w.-]+\/)*)(metrics|capture-format)\.md(?![\w-])/g;
// A section reference: "§7", "§ 7", "section 7", "sections 2-4", "§5 and §9", "§2-5".
const SECTION_REF = /(?:§\s?|\bsections?\s+)(\d+(?:\.\d+)*)((?:\s*[-–]\s*§?\s?\d+(?:\.\d+)*|\s*(?:,|and)\s*§\s?\d+(?:\.\d+)*)*)/gi;
// A document name followed by its section reference, with at most a "]" or ", " between.
const CITATION = new RegExp(
  `${DOC_NAME.source}\\]?,?\\s*(?:\\*\\s*)?(${SECTION_REF.source})`,
  'gi',
);
const MD_LINK = /\[([^\]]*)\]\(([^)\s#]*)(#[^)\s]*)?\)/g;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function numbersOf(first: string, rest: string): string[] {
  return [first, ...[...rest.matchAll(/\d+(?:\.\d+)*/g)].map((m) => m[0])];
}

/**
 * The problems of one file's citations. `file` is the path relative to the
 * repository root with `/` separators; `docs` maps each reference document's file
 * name to its outline; `exists` says whether a repository path exists.
 */
export function checkCitations(
  file: string,
  text: string,
  docs: ReadonlyMap<string, DocOutline>,
  exists: (repoPath: string) => boolean,
): CitationProblem[] {
  const problems: CitationProblem[] = [];
  const report = (index: number, problem: string) => problems.push({ file, line: lineAt(text, index), problem });
  const inDocs = file.startsWith('docs/');
  const selfDoc = inDocs ? posix.basename(file) : undefined;

  // 1. every document name carries its docs/ path (a document in docs/ may name a sibling bare)
  for (const m of text.matchAll(DOC_NAME)) {
    const prefix = m[1]!;
    if (prefix.endsWith('docs/')) continue;
    if (inDocs && prefix === '') continue;
    report(m.index!, `cites ${prefix}${m[2]}.md; cite the project's reference as docs/${m[2]}.md`);
  }

  // 2. every section number of a citation is a numbered heading of the cited document
  const covered: [number, number][] = [];
  for (const m of text.matchAll(CITATION)) {
    const doc = `${m[2]!.toLowerCase()}.md`;
    const refStart = m.index! + m[0].length - m[3]!.length;
    covered.push([refStart, m.index! + m[0].length]);
    const outline = docs.get(doc);
    if (!outline) continue;
    for (const n of numbersOf(m[4]!, m[5] ?? '')) {
      if (!outline.sections.has(n)) report(m.index!, `cites docs/${doc} §${n}, which is no section of docs/${doc}`);
    }
  }

  // 3. a section number with no document before it: only a reference document may cite itself so
  for (const m of text.matchAll(SECTION_REF)) {
    if (covered.some(([a, b]) => m.index! >= a && m.index! < b)) continue;
    const own = selfDoc ? docs.get(selfDoc) : undefined;
    if (!own) {
      report(m.index!, `"${m[0].trim()}" cites a section without naming its document (write docs/metrics.md §N)`);
      continue;
    }
    for (const n of numbersOf(m[1]!, m[2] ?? '')) {
      if (!own.sections.has(n)) report(m.index!, `cites §${n}, which is no section of ${file}`);
    }
  }

  // 4. markdown links to a reference document resolve, with an existing anchor
  if (file.endsWith('.md')) {
    for (const m of text.matchAll(MD_LINK)) {
      const label = m[1]!;
      const target = m[2]!;
      const anchor = m[3]?.slice(1);
      const name = posix.basename(target);
      const isDoc = (CITED_DOCS as readonly string[]).includes(name) || (target === '' && selfDoc !== undefined && anchor !== undefined);
      if (!isDoc || /^[a-z]+:/i.test(target)) continue;
      const repoPath = target === '' ? file : toRepoPath(file, target);
      if (!exists(repoPath)) {
        report(m.index!, `links to ${target}, which does not exist (resolved: ${repoPath})`);
        continue;
      }
      const outline = docs.get(posix.basename(repoPath));
      if (anchor !== undefined && outline && !outline.anchors.has(anchor)) {
        report(m.index!, `links to ${target}#${anchor}, which is no heading of ${repoPath}`);
      }
      const cited = /§\s?(\d+)/.exec(label)?.[1];
      const linked = anchor && /^(\d+)-/.exec(anchor)?.[1];
      if (cited && linked && cited !== linked) report(m.index!, `link text says §${cited} but its anchor is section ${linked}`);
    }
  }
  return problems;
}

/** A link target relative to `file`, as a repository path ("../x" when it leaves the repository). */
function toRepoPath(file: string, target: string): string {
  return posix.normalize(posix.join(posix.dirname(file), target));
}

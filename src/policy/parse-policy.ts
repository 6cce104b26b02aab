/**
 * Parses a policy version file (YAML) into a checked `Policy`, or every error with the file, line and
 * rule it breaks. A file with any error is refused whole: a policy never loads half-way.
 *
 * Checks beyond the shape: every fact a condition names exists and is compared with a value of its type;
 * every cited article is among the file's articles; pathway ids are unique; no condition uses a fact a
 * guarantee forbids (giving up land rights may never be a condition of settling, qz-draft/2.5.1, lz/2.5),
 * and no material demands it either (the wording rule of `forbidden-demands.ts`); a quote holds the
 * policy's own sentences, not a reporter's comment on them (that goes in the article's `note`).
 */
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { FACTS, type FactDefinition } from './facts.js';
import { findForbiddenDemand } from './forbidden-demands.js';
import { Policy, type Condition } from './policy.js';

export interface PolicyFileError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where in the document: `programmes.0.pathways.2.when.all.1.value`. */
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

export type PolicyParse =
  | { readonly isValid: true; readonly policy: Policy }
  | { readonly isValid: false; readonly errors: readonly PolicyFileError[] };

type Path = (string | number)[];

function locate(doc: Document, counter: LineCounter, path: Path): { line: number; column: number } {
  // Walk down as far as the document goes, so a missing key points at its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      const pos = counter.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

interface SemanticIssue {
  path: Path;
  rule: string;
  message: string;
}

function checkValue(def: FactDefinition, op: string, value: unknown): string | undefined {
  const values = Array.isArray(value) ? value : [value];
  const isList = op === 'in' || op === 'notIn';
  if (isList !== Array.isArray(value)) return `op ${op} takes ${isList ? 'a list' : 'a single value'}`;
  if (['gte', 'gt', 'lte', 'lt'].includes(op) && def.type !== 'number')
    return `op ${op} needs a number fact; ${def.path} is ${def.type}`;
  for (const v of values) {
    if (def.type === 'number' && typeof v !== 'number')
      return `${def.path} is a number; got ${JSON.stringify(v)}`;
    if (def.type === 'boolean' && typeof v !== 'boolean')
      return `${def.path} is true/false; got ${JSON.stringify(v)}`;
    if (def.type === 'enum' && !def.options?.includes(String(v))) {
      return `${JSON.stringify(v)} is not a value of ${def.path} (${def.options?.join(', ')})`;
    }
  }
  return undefined;
}

function checkCondition(
  condition: Condition,
  path: Path,
  scope: 'person' | 'member',
  articles: ReadonlySet<string>,
  forbidden: readonly string[],
  issues: SemanticIssue[],
) {
  if (condition.article !== undefined && !articles.has(condition.article)) {
    issues.push({
      path: [...path, 'article'],
      rule: 'article-known',
      message: `article ${condition.article} is not among this policy's articles`,
    });
  }
  if ('fact' in condition) {
    const def = FACTS.get(condition.fact);
    if (!def) {
      issues.push({ path: [...path, 'fact'], rule: 'fact-known', message: `unknown fact ${condition.fact}` });
      return;
    }
    if (def.scope === 'member' && scope !== 'member') {
      issues.push({
        path: [...path, 'fact'],
        rule: 'fact-scope',
        message: `${condition.fact} may only be used in follower rules`,
      });
    }
    const bad = forbidden.find((f) =>
      f.endsWith('.*') ? condition.fact.startsWith(f.slice(0, -1)) : condition.fact === f,
    );
    if (bad) {
      issues.push({
        path: [...path, 'fact'],
        rule: 'forbidden-fact',
        message: `${condition.fact} may never be a condition (guarantee on ${bad})`,
      });
    }
    const problem = checkValue(def, condition.op, condition.value);
    if (problem) issues.push({ path: [...path, 'value'], rule: 'value-type', message: problem });
    return;
  }
  if ('discretion' in condition) return;
  if ('all' in condition)
    condition.all.forEach((c, i) =>
      checkCondition(c, [...path, 'all', i], scope, articles, forbidden, issues),
    );
  else if ('any' in condition)
    condition.any.forEach((c, i) =>
      checkCondition(c, [...path, 'any', i], scope, articles, forbidden, issues),
    );
  else checkCondition(condition.not, [...path, 'not'], scope, articles, forbidden, issues);
}

/**
 * Words of a news report about a policy, never of the policy itself: the report's comparison with the
 * draft ("与送审稿相比，该实施意见取消了…"), its lead-ins and its asides.
 */
const REPORTER_PHRASES: readonly string[] = [
  '与送审稿相比',
  '相比于',
  '该实施意见',
  '根据该',
  '需要注意的是',
  '值得注意的是',
  '据了解',
  '记者',
  '工作人员介绍',
];

function semanticIssues(policy: Policy): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const articles = new Set(policy.articles.map((a) => a.id));
  if (articles.size !== policy.articles.length)
    issues.push({ path: ['articles'], rule: 'unique-ids', message: 'article ids repeat' });
  policy.articles.forEach((a, i) => {
    const phrase = REPORTER_PHRASES.find((w) => a.quote.includes(w));
    if (phrase)
      issues.push({
        path: ['articles', i, 'quote'],
        rule: 'quote-own-words',
        message: `the quote of ${a.id} holds a reporter's words (“${phrase}”); put them in the article's note`,
      });
  });
  const cite = (article: string, path: Path) => {
    if (!articles.has(article))
      issues.push({
        path,
        rule: 'article-known',
        message: `article ${article} is not among this policy's articles`,
      });
  };
  const forbidden = policy.guarantees.flatMap((g) => g.forbiddenFacts);
  policy.guarantees.forEach((g, i) => cite(g.article, ['guarantees', i, 'article']));
  policy.schedules.forEach((s, i) => cite(s.article, ['schedules', i, 'article']));
  const programmeIds = new Set<string>();
  policy.programmes.forEach((programme, p) => {
    if (programmeIds.has(programme.id))
      issues.push({
        path: ['programmes', p, 'id'],
        rule: 'unique-ids',
        message: `programme ${programme.id} repeats`,
      });
    programmeIds.add(programme.id);
    const ids = new Set<string>();
    programme.pathways.forEach((pathway, i) => {
      const at: Path = ['programmes', p, 'pathways', i];
      if (ids.has(pathway.id))
        issues.push({ path: [...at, 'id'], rule: 'unique-ids', message: `pathway ${pathway.id} repeats` });
      ids.add(pathway.id);
      cite(pathway.article, [...at, 'article']);
      checkCondition(pathway.when, [...at, 'when'], 'person', articles, forbidden, issues);
      pathway.materials.forEach((material, m) => {
        const demand = findForbiddenDemand(material, policy);
        if (demand)
          issues.push({
            path: [...at, 'materials', m],
            rule: 'forbidden-demand',
            message: `material “${material.zh}” demands “${demand.matched}”, which may never be asked (${demand.article ?? demand.statement.zh})`,
          });
      });
      const followers = pathway.followers;
      if (!followers) return;
      cite(followers.article, [...at, 'followers', 'article']);
      followers.rules.forEach((rule, r) => {
        if (rule.article) cite(rule.article, [...at, 'followers', 'rules', r, 'article']);
        if (rule.when)
          checkCondition(
            rule.when,
            [...at, 'followers', 'rules', r, 'when'],
            'member',
            articles,
            forbidden,
            issues,
          );
      });
      if (followers.cap) {
        cite(followers.cap.article, [...at, 'followers', 'cap', 'article']);
        checkCondition(
          followers.cap.when,
          [...at, 'followers', 'cap', 'when'],
          'person',
          articles,
          forbidden,
          issues,
        );
      }
    });
  });
  return issues;
}

/**
 * @example parsePolicy(readFileSync('policies/quzhou-2017-final.yaml', 'utf8'), 'quzhou-2017-final.yaml')
 */
export function parsePolicy(text: string, file: string): PolicyParse {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      isValid: false,
      errors: doc.errors.map((e) => {
        const pos = counter.linePos(e.pos[0]);
        return {
          file,
          line: pos.line,
          column: pos.col,
          path: '',
          rule: 'yaml',
          message: e.message.split('\n')[0] ?? e.message,
        };
      }),
    };
  }
  if (!isMap(doc.contents) && !isSeq(doc.contents)) {
    return {
      isValid: false,
      errors: [{ file, line: 1, column: 1, path: '', rule: 'shape', message: 'the file holds no policy' }],
    };
  }
  const parsed = Policy.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      isValid: false,
      errors: parsed.error.issues.map((issue) => ({
        file,
        ...locate(doc, counter, issue.path as Path),
        path: issue.path.join('.'),
        rule: issue.code,
        message: issue.message,
      })),
    };
  }
  const issues = semanticIssues(parsed.data);
  if (issues.length > 0) {
    return {
      isValid: false,
      errors: issues.map((i) => ({
        file,
        ...locate(doc, counter, i.path),
        path: i.path.join('.'),
        rule: i.rule,
        message: i.message,
      })),
    };
  }
  return { isValid: true, policy: parsed.data };
}

/** One line per error, as `file:line:column rule: message (path)`. */
export function formatPolicyErrors(errors: readonly PolicyFileError[]): string {
  return errors
    .map((e) => `${e.file}:${e.line}:${e.column} ${e.rule}: ${e.message}${e.path ? ` (${e.path})` : ''}`)
    .join('\n');
}

import { readFileSync } from 'node:fs';
import { RE2JS } from 're2js';
import { parse } from 'smol-toml';
import { GENERIC_RULES } from './generic-rules.ts';
import { keywordScanner } from './keyword-scan.ts';

/** An allowlist as gitleaks' TOML writes it (`[[rules.allowlists]]`, `[[allowlists]]`). */
export interface AllowlistDefinition {
  description?: string;
  /** `OR` (the default): any check allows. `AND`: every check present must allow. */
  condition?: string;
  /** What `regexes` are matched against: the secret (default), the whole match, or its line. */
  regexTarget?: string;
  regexes?: string[];
  stopwords?: string[];
  paths?: string[];
  commits?: string[];
}

/** One rule as gitleaks' TOML writes it, plus `multiline` for our own rules. */
export interface RuleDefinition {
  id: string;
  description?: string;
  regex?: string;
  keywords?: string[];
  secretGroup?: number;
  entropy?: number;
  path?: string;
  allowlists?: AllowlistDefinition[];
  /** The regex may match across lines, so it must see a whole block, not one line at a time. */
  multiline?: boolean;
}

export interface RuleSource {
  /** Where the rules come from, e.g. `gitleaks`; kept on each compiled rule. */
  name: string;
  rules: RuleDefinition[];
  /** Allowlists for every rule of this source (gitleaks' global `[allowlist]`). */
  allowlists?: AllowlistDefinition[];
}

export type RegexTarget = 'secret' | 'match' | 'line';

export interface Allowlist {
  /** AND: every check present must hold. */
  all: boolean;
  target: RegexTarget;
  regexes: RE2JS[];
  /** Lower-cased; a secret containing one is allowed. */
  stopwords: string[];
  /** It also names paths or commits, which text from a log never has: an AND list never holds. */
  needsPathOrCommit: boolean;
}

export interface SecretRule {
  id: string;
  source: string;
  regex: RE2JS;
  /** Lower-cased. The rule runs only on text that contains one of them; empty means always. */
  keywords: string[];
  /** The capture group that is the secret; 0 means the first non-empty group, or the whole match. */
  secretGroup: number;
  /** Matches whose secret has this Shannon entropy or less are not secrets; 0 disables the check. */
  entropy: number;
  /** The source's global allowlists, then the rule's own. */
  allowlists: Allowlist[];
  multiline: boolean;
}

export interface SkippedRule {
  id: string;
  source: string;
  reason: string;
}

export interface RuleSet {
  rules: SecretRule[];
  /** Every rule's keywords, distinct. */
  keywords: string[];
  /** The keywords that occur in a lower-cased text, found in one pass. */
  keywordsIn: (lowerText: string) => Set<string>;
  /** Rules (and allowlist regexes) that did not compile or cannot apply to text; not fatal. */
  skipped: SkippedRule[];
  compileMs: number;
}

// A regex that can span lines has to see a block at once. gitleaks' regexes say so with
// `(?s`, `[\s\S`, `\n`, `\r` or `\z`; the others are matched one line at a time, which lets
// re2js use its fast bounded backtracker instead of the NFA over a whole block.
const SPANS_LINES = /\(\?s|\[\\s\\S|\\n|\\r|\\z/;

export function compileRuleSet(sources: RuleSource[]): RuleSet {
  const started = performance.now();
  const skipped: SkippedRule[] = [];
  const rules: SecretRule[] = [];
  const ids = new Set<string>();
  for (const source of sources) {
    // Per source, not for all: gitleaks' global list allows any secret containing "false"
    // (its `(?i)^true|false|null$` lacks a group), which would let a PEM body through our rules.
    const globals = (source.allowlists ?? []).map((a) => compileAllowlist(a, `${source.name}/allowlist`, source.name, skipped));
    for (const def of source.rules) {
      if (ids.has(def.id)) throw new Error(`duplicate secret rule id ${def.id} (from ${source.name})`);
      ids.add(def.id);
      if (!def.regex) {
        skipped.push({ id: def.id, source: source.name, reason: 'path-only rule: text has no file path' });
        continue;
      }
      let regex: RE2JS;
      try {
        regex = RE2JS.compile(def.regex);
      } catch (error) {
        skipped.push({ id: def.id, source: source.name, reason: `regex does not compile: ${(error as Error).message}` });
        continue;
      }
      // A rule limited to some file paths (`*.tf`, `nuget.config`) still applies here: text
      // from logs has no path, and such content pasted into a log is just as secret.
      rules.push({
        id: def.id,
        source: source.name,
        regex,
        keywords: (def.keywords ?? []).map((k) => k.toLowerCase()),
        secretGroup: def.secretGroup ?? 0,
        entropy: def.entropy ?? 0,
        allowlists: [...globals, ...(def.allowlists ?? []).map((a) => compileAllowlist(a, def.id, source.name, skipped))],
        multiline: def.multiline ?? SPANS_LINES.test(def.regex),
      });
    }
  }
  const keywords = [...new Set(rules.flatMap((r) => r.keywords))];
  return { rules, keywords, keywordsIn: keywordScanner(keywords), skipped, compileMs: performance.now() - started };
}

function compileAllowlist(def: AllowlistDefinition, owner: string, source: string, skipped: SkippedRule[]): Allowlist {
  const regexes: RE2JS[] = [];
  for (const pattern of def.regexes ?? []) {
    try {
      regexes.push(RE2JS.compile(pattern));
    } catch (error) {
      skipped.push({ id: `${owner}/allowlist`, source, reason: `allowlist regex does not compile: ${(error as Error).message}` });
    }
  }
  const target = def.regexTarget === 'match' || def.regexTarget === 'line' ? def.regexTarget : 'secret';
  return {
    all: def.condition?.toUpperCase() === 'AND',
    target,
    regexes,
    stopwords: (def.stopwords ?? []).map((w) => w.toLowerCase()),
    needsPathOrCommit: (def.paths?.length ?? 0) > 0 || (def.commits?.length ?? 0) > 0,
  };
}

// 151 gitleaks rules end a secret at a quote, whitespace, `;`, an escaped newline or the
// end of a line: the delimiters of source files. In logs a token is as often followed by
// `)`, `]`, `}`, `,`, `:`, `>`, `|` or `&` ("(key sk_live_…)", "token eyJ…: expired"), and
// gitleaks then misses it. Widening that one terminator can only find more.
const SOURCE_TERMINATOR = String.raw`(?:[\x60'"\s;]|\\[nr]|$)`;
const LOG_TERMINATOR = String.raw`(?:[\x60'"\s;:,)\]}>|&]|\\[nr]|$)`;

export function widenTerminator(regex: string): string {
  return regex.replaceAll(SOURCE_TERMINATOR, LOG_TERMINATOR);
}

/**
 * Reads a gitleaks configuration (TOML) into rule definitions, without compiling them;
 * `forLogs` widens the terminator as above.
 */
export function parseGitleaksConfig(toml: string, options: { name?: string; forLogs?: boolean } = {}): RuleSource {
  const config = parse(toml) as Record<string, unknown>;
  const rules = Array.isArray(config.rules) ? config.rules.map((r) => ruleDefinition(r as Record<string, unknown>)) : [];
  if (options.forLogs ?? true) for (const rule of rules) if (rule.regex) rule.regex = widenTerminator(rule.regex);
  return { name: options.name ?? 'gitleaks', rules, allowlists: allowlistsOf(config) };
}

function ruleDefinition(raw: Record<string, unknown>): RuleDefinition {
  if (typeof raw.id !== 'string') throw new Error('gitleaks rule without an id');
  return {
    id: raw.id,
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    ...(typeof raw.regex === 'string' ? { regex: raw.regex } : {}),
    ...(typeof raw.path === 'string' ? { path: raw.path } : {}),
    ...(typeof raw.secretGroup === 'number' ? { secretGroup: raw.secretGroup } : {}),
    ...(typeof raw.entropy === 'number' ? { entropy: raw.entropy } : {}),
    keywords: strings(raw.keywords),
    allowlists: allowlistsOf(raw),
  };
}

// gitleaks accepts the older single `[allowlist]` table as well as `[[allowlists]]`.
function allowlistsOf(table: Record<string, unknown>): AllowlistDefinition[] {
  const raw = [...(Array.isArray(table.allowlists) ? table.allowlists : []), ...(table.allowlist && typeof table.allowlist === 'object' ? [table.allowlist] : [])];
  return raw.map((a) => {
    const t = a as Record<string, unknown>;
    return {
      ...(typeof t.condition === 'string' ? { condition: t.condition } : {}),
      ...(typeof t.regexTarget === 'string' ? { regexTarget: t.regexTarget } : {}),
      regexes: strings(t.regexes),
      stopwords: strings(t.stopwords),
      paths: strings(t.paths),
      commits: strings(t.commits),
    };
  });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const GITLEAKS_TOML = new URL('./rules/gitleaks.toml', import.meta.url);
let cached: RuleSet | undefined;

/**
 * gitleaks' default rules plus our own (generic-rules.ts), compiled on first use and then
 * shared: compiling ~240 regexes takes 200-500 ms, and a compiled rule set is immutable.
 */
export function defaultRuleSet(): RuleSet {
  cached ??= compileRuleSet([parseGitleaksConfig(readFileSync(GITLEAKS_TOML, 'utf8')), { name: 'gopherguard', rules: GENERIC_RULES }]);
  return cached;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shannonEntropy } from './entropy.ts';
import { findSecrets } from './find-secrets.ts';
import { compileRuleSet, defaultRuleSet, parseGitleaksConfig, widenTerminator, type RuleDefinition, type RuleSource } from './rule-set.ts';

const compile = (rules: RuleDefinition[], allowlists: RuleSource['allowlists'] = []) => compileRuleSet([{ name: 'test', rules, allowlists }]);
const secretsIn = (text: string, rules: RuleDefinition[], allowlists?: RuleSource['allowlists']) =>
  findSecrets(text, compile(rules, allowlists)).map((s) => text.slice(s.start, s.end));

describe('the default rule set', () => {
  it('compiles every gitleaks regex rule with RE2 and skips only the path-only one', () => {
    const set = defaultRuleSet();
    const gitleaks = set.rules.filter((r) => r.source === 'gitleaks');
    assert.ok(gitleaks.length >= 200, `only ${gitleaks.length} gitleaks rules compiled`);
    assert.deepEqual(set.skipped.map((s) => s.id), ['pkcs12-file']);
    assert.ok(set.rules.some((r) => r.source === 'gopherguard'));
    for (const rule of set.rules) assert.deepEqual(rule.keywords, rule.keywords.map((k) => k.toLowerCase()), rule.id);
  });

  it('is compiled once and shared', () => {
    assert.equal(defaultRuleSet(), defaultRuleSet());
  });

  it('reads rules, secretGroup, entropy and both allowlist spellings from gitleaks TOML', () => {
    const source = parseGitleaksConfig(`
[allowlist]
stopwords = ["EXAMPLE"]
[[rules]]
id = "demo"
regex = '''(user)=(\\w+)(?:[\\x60'"\\s;]|\\\\[nr]|$)'''
secretGroup = 2
entropy = 2.5
keywords = ["User="]
[[rules.allowlists]]
condition = "AND"
regexes = ['''^x''']
paths = ['''\\.md$''']
`);
    assert.equal(source.allowlists?.[0]?.stopwords?.[0], 'EXAMPLE');
    const rule = source.rules[0];
    assert.equal(rule?.secretGroup, 2);
    assert.equal(rule?.entropy, 2.5);
    assert.deepEqual(rule?.keywords, ['User=']);
    assert.equal(rule?.allowlists?.[0]?.condition, 'AND');
    assert.ok(rule?.regex?.includes(':,)'), 'the source-file terminator is widened for logs');
  });
});

describe('rule compilation', () => {
  it('counts and skips a rule that RE2 rejects instead of failing', () => {
    const set = compile([{ id: 'lookahead', regex: 'a(?=b)' }, { id: 'fine', regex: 'abc' }]);
    assert.deepEqual(set.rules.map((r) => r.id), ['fine']);
    assert.equal(set.skipped[0]?.id, 'lookahead');
    assert.match(set.skipped[0]?.reason ?? '', /does not compile/);
  });

  it('rejects two rules with the same id', () => {
    assert.throws(() => compile([{ id: 'x', regex: 'a' }, { id: 'x', regex: 'b' }]), /duplicate/);
  });

  it('widens only the exact gitleaks terminator', () => {
    assert.equal(widenTerminator(String.raw`(k)(?:[\x60'"\s;]|\\[nr]|$)`), String.raw`(k)(?:[\x60'"\s;:,)\]}>|&]|\\[nr]|$)`);
    assert.equal(widenTerminator('plain'), 'plain');
  });
});

describe('finding secrets', () => {
  it('runs a rule only when one of its keywords is in the text', () => {
    const rule = { id: 'r', regex: String.raw`\bzz[0-9]{6}\b`, keywords: ['ZZ-TOKEN'] };
    assert.deepEqual(secretsIn('found zz123456 here', [rule]), []);
    assert.deepEqual(secretsIn('zz-token zz123456 here', [rule]), ['zz123456']);
  });

  it('redacts the secretGroup, else the first non-empty group, else the whole match', () => {
    assert.deepEqual(secretsIn('user=alice pass=s3cr3t', [{ id: 'g', regex: String.raw`(user)=(\w+) pass=(\w+)`, secretGroup: 3 }]), ['s3cr3t']);
    assert.deepEqual(secretsIn('key: "abc123"', [{ id: 'g', regex: String.raw`key: (?:'([^']+)'|"([^"]+)")` }]), ['abc123']);
    assert.deepEqual(secretsIn('tok_abcdef', [{ id: 'g', regex: String.raw`tok_\w+` }]), ['tok_abcdef']);
  });

  it('drops matches at or below the entropy threshold', () => {
    const rule = { id: 'e', regex: String.raw`key=(\w+)`, entropy: 3 };
    assert.deepEqual(secretsIn('key=aaaaaaaaaaaa', [rule]), []);
    assert.deepEqual(secretsIn('key=q8Zr2Lx0Vn4T', [rule]), ['q8Zr2Lx0Vn4T']);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
  });

  it('honours allowlist regexes, stopwords, the regex target and AND conditions', () => {
    const rule = (allowlists: RuleDefinition['allowlists']) => [{ id: 'a', regex: String.raw`secret=(\w+)`, allowlists }];
    assert.deepEqual(secretsIn('secret=PLACEHOLDER1', rule([{ regexes: ['^PLACEHOLDER'] }])), []);
    assert.deepEqual(secretsIn('secret=myEXAMPLEkey', rule([{ stopwords: ['example'] }])), []);
    assert.deepEqual(secretsIn('# docs: secret=abc123', rule([{ regexTarget: 'line', regexes: ['^# docs'] }])), []);
    assert.deepEqual(secretsIn('secret=abc123', rule([{ regexTarget: 'match', regexes: ['^secret=abc'] }])), []);
    // Text has no file path, so an AND list that names paths never holds.
    assert.deepEqual(secretsIn('secret=abc123', rule([{ condition: 'AND', regexes: ['abc'], paths: [String.raw`\.md$`] }])), ['abc123']);
    assert.deepEqual(secretsIn('secret=abc123', rule([{ condition: 'AND', regexes: ['abc'], stopwords: ['zzz'] }])), ['abc123']);
    assert.deepEqual(secretsIn('secret=abc123', rule([{ condition: 'AND', regexes: ['abc'], stopwords: ['123'] }])), []);
  });

  it('applies a source-wide allowlist to that source only', () => {
    const set = compileRuleSet([
      { name: 'one', rules: [{ id: 'one', regex: String.raw`one=(\w+)` }], allowlists: [{ stopwords: ['false'] }] },
      { name: 'two', rules: [{ id: 'two', regex: String.raw`two=(\w+)` }] },
    ]);
    const text = 'one=xfalsex two=yfalsey';
    assert.deepEqual(findSecrets(text, set).map((s) => s.ruleId), ['two']);
  });

  it('matches single-line rules line by line and multiline rules across lines', () => {
    const text = 'BEGIN\nbody\nEND\nkey=abc';
    const set = compile([
      { id: 'block', regex: String.raw`BEGIN[\s\S]*?END` },
      { id: 'line', regex: String.raw`key=\w+` },
    ]);
    assert.deepEqual(findSecrets(text, set).map((s) => [s.ruleId, text.slice(s.start, s.end)]), [['block', 'BEGIN\nbody\nEND'], ['line', 'key=abc']]);
  });
});

// A GitOps engine that cannot apply what Git now says (a build error, a value the API
// server rejects) while it did apply an earlier revision: the commits after that revision
// broke the manifests, and reverting the newest one is the fix. The remediation stage
// reverts only when that commit directly follows the last applied one (see
// remediation-controller's revert), so a wrong guess here cannot undo innocent work.
import { quote, type AnalyzerInput, type RuleDiagnosis } from './rule-diagnosis.ts';

const ENGINE: Record<string, string> = { Kustomization: 'Flux', Application: 'Argo CD' };

/** The commit sha in a revision as Flux (`main@sha1:<sha>`) or Argo CD (`<sha>`) writes it. */
export function commitOf(revision: string | undefined): string | undefined {
  const sha = revision?.split(':').at(-1)?.trim();
  return sha && /^[0-9a-f]{7,64}$/.test(sha) ? sha : undefined;
}

export function analyzeGitOpsSyncFailed(input: AnalyzerInput): RuleDiagnosis {
  const facts = input.gitops;
  const engine = ENGINE[facts?.kind ?? ''] ?? 'The GitOps engine';
  const attempted = commitOf(facts?.revision);
  const applied = commitOf(facts?.appliedRevision);
  const said = engineMessage(input.signal?.message ?? '');
  const cited = said ? [quote(said)] : [];
  if (!attempted) {
    return { rootCause: `${engine} reports a failed sync without the revision it tried`, confidence: 0.2, cited, action: { type: 'none', reason: 'the engine does not say which Git revision failed' } };
  }
  if (!applied || applied === attempted) {
    return {
      rootCause: `${engine} cannot apply revision ${attempted.slice(0, 7)} and has no earlier revision it applied to go back to${said ? `: ${said}` : ''}`,
      confidence: 0.3, cited,
      action: { type: 'none', reason: 'no last good revision to return to: the manifests need a person' },
    };
  }
  return {
    rootCause: `${engine} cannot apply revision ${attempted.slice(0, 7)}${input.signal?.reason ? ` (${input.signal.reason})` : ''}${said ? `: ${said}` : ''}; ${applied.slice(0, 7)} applied cleanly, so the commit after it broke the manifests`,
    confidence: 0.8,
    cited,
    action: { type: 'revertCommit', commit: attempted },
  };
}

/**
 * What the engine said. An incident's evidence summary starts with where and at which
 * revision ("GitOpsSyncFailed in Flux Kustomization ns/app, reason ..., revision ...: "),
 * which the root cause already says in its own words.
 */
function engineMessage(text: string): string {
  return /^GitOps\w+ in /.test(text) && text.includes(': ') ? text.slice(text.indexOf(': ') + 2) : text;
}

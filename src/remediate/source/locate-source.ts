// Which Git source defines a workload. An explicit `spec.source.git` on the AegisWatch
// wins (a person wrote it down); then the engine's own tracking on the workload (exact
// per object); then the Application or Kustomization the watch names.
import type { AegisWatch } from '../../api/aegis-watch.ts';
import { describeWorkload, type Workload } from '../edit/workload.ts';
import { argoReference, argoSource } from './argo-source.ts';
import { FLUX_HELM_NAME, fluxReference, fluxSource } from './flux-source.ts';
import { SourceError, type GitSource } from './git-source.ts';
import type { ArgoApplicationObject, FluxGitRepositoryObject, FluxKustomizationObject } from './gitops-objects.ts';
import { watchGitSource } from './watch-source.ts';

export interface SourceInputs {
  workload: Workload;
  watch?: Pick<AegisWatch, 'metadata' | 'spec'>;
  kustomizations?: readonly FluxKustomizationObject[];
  gitRepositories?: readonly FluxGitRepositoryObject[];
  applications?: readonly ArgoApplicationObject[];
}

/** The Git source of a workload. Throws SourceError saying what is missing. */
export function locateSource(inputs: SourceInputs): GitSource {
  const { workload, watch } = inputs;
  const explicit = watch && watchGitSource(watch);
  if (explicit) return explicit;
  const flux = fluxReference(workload);
  if (flux) return fluxSource(flux, inputs.kustomizations ?? [], inputs.gitRepositories ?? [], workload);
  const argo = argoReference(workload);
  if (argo) return argoSource(argo, inputs.applications ?? [], workload);
  const helmRelease = workload.metadata.labels?.[FLUX_HELM_NAME];
  if (helmRelease) {
    throw new SourceError(`${describeWorkload(workload)} is installed by Flux HelmRelease ${helmRelease}, whose values are not edited yet; set spec.source.git on the AegisWatch`);
  }
  const named = watch?.spec.source;
  if (named?.argoCD) {
    return argoSource({ name: named.argoCD.application, namespace: named.argoCD.namespace, via: 'annotation' }, inputs.applications ?? [], workload);
  }
  if (named?.flux) {
    const namespace = named.flux.namespace ?? watch?.metadata.namespace ?? 'flux-system';
    return fluxSource({ name: named.flux.kustomization, namespace }, inputs.kustomizations ?? [], inputs.gitRepositories ?? [], workload);
  }
  throw new SourceError(`no Flux labels and no Argo CD tracking on ${describeWorkload(workload)}; set spec.source.git on the AegisWatch`);
}

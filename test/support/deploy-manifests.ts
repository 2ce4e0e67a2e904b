// The shipped deploy/operator manifests applied as a user would (kubectl apply -f).
import { join } from 'node:path';
import { createAll, readManifests } from '../../src/sandbox/cluster/apply.ts';
import type { TestCluster } from './cluster.ts';

const DEPLOY = join(import.meta.dirname, '..', '..', 'deploy', 'operator');

/** Creates the objects of these files of deploy/operator, in order; ones already there stay. */
export async function applyDeployManifests(cluster: TestCluster, ...files: string[]): Promise<void> {
  const objects = [];
  for (const file of files) objects.push(...await readManifests(join(DEPLOY, file)));
  await createAll(cluster.kubeConfig, objects);
}

// The tests install CRDs the way the demo and users' tooling do.
export { installCrds } from '../../src/api/install-crds.ts';

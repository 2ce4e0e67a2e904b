// Apart from sandbox-command.ts so that `gopherguard --help` loads no sandbox code.
export const SANDBOX_USAGE = `Usage: gopherguard sandbox <command> [options]

Commands:
  up       start a sandbox cluster and print how to reach it
  down     stop every process of a sandbox
  status   show a sandbox's components and whether the API server is ready
  build    build (or find in the cache) the binaries of a tier, and say where they are

Options:
  --tier 1|2|3   1: etcd + kube-apiserver; 2: + controller manager, scheduler, KWOK (default 2);
                 3: + Gitea with an admin user and an access token (in the sandbox's state.json)
  --name NAME    which sandbox (default "default"); each has its own folder and ports
  --dir DIR      the sandbox's folder (default ~/.local/state/gopherguard/sandboxes/NAME)
  --nodes N      simulated nodes in tier 2 (default 3)

Binaries come from GOPHERGUARD_ETCD, GOPHERGUARD_KUBE_APISERVER, GOPHERGUARD_KUBE_CONTROLLER_MANAGER,
GOPHERGUARD_KUBE_SCHEDULER, GOPHERGUARD_KWOK, GOPHERGUARD_GITEA if set, else from the cache
(GOPHERGUARD_SANDBOX_CACHE, default ~/.cache/gopherguard/sandbox), else are built with Go.`;

// Manifests as a person writes them (comments, flow maps), for the tests that put a
// workload in Git and let GopherGuard edit it.

/** JokeService limited to 128Mi while it needs `needs` (200Mi by default): OOM-killed. */
export const oomManifest = (name: string, needs = '200Mi') => `# ${name}: the joke service
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}, tier: web}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
      annotations:
        sandbox.gopherguard.dev/needs-memory: ${needs}  # what the app really uses
    spec:
      containers:
        - name: app
          image: ghcr.io/gopherguard/jokeservice:1.0.0
          ports: [{name: http, containerPort: 8080}]
          resources:
            limits:
              memory: 128Mi   # too small: see the incident
`;

// The dashboard: a read-only web view of incidents and watches, with live updates.
export { createDashboard, type DashboardOptions } from './app.ts';
export { startDashboard, type RunningDashboard, type StartDashboardOptions } from './server.ts';
export type { DashboardChange, DashboardLog, DashboardSource } from './source.ts';

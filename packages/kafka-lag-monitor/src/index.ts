export { LagMonitor } from './lag-monitor.js';
export { lagMonitorDefaults } from './options.js';
export type { LagMonitorOptions, ResolvedLagMonitorOptions } from './options.js';
export type { GroupLagReport, PartitionLag, GroupMember, LagRound } from './types.js';
export type { GroupSummary } from './group-summary.js';
export { judgePartition, worse, severityOf, severities, atLeast } from './partition-status.js';
export type {
  PartitionStatus,
  Severity,
  LagSample,
  StatusRules,
  PartitionJudgement,
} from './partition-status.js';
export { OffsetTimeTable, lagSeconds } from './offset-time-table.js';
export { statusCodes } from './lag-gauges.js';
export { renderLagTable } from './lag-table.js';
export { createLagServer } from './lag-server.js';
export { ClusterWatch, clusterNamePattern } from './cluster-watch.js';
export type { HistoryPoint, RoundStats, WatchedMonitor } from './cluster-watch.js';
export { LagMetrics } from './prometheus-metrics.js';
export { StatusNotifier } from './status-notifier.js';
export type { StatusNotifierOptions } from './status-notifier.js';
export { statusAlert } from './status-alert.js';
export type { StatusAlert } from './status-alert.js';
export { webhookDefaults } from './webhook-notifier.js';
export type { WebhookOptions } from './webhook-notifier.js';
export { startLagService } from './lag-service.js';
export type { LagService, LagServiceOptions } from './lag-service.js';

export { LagMonitor, lagMonitorDefaults } from './lag-monitor.js';
export type { LagMonitorOptions, GroupLagReport, PartitionLag } from './lag-monitor.js';
export type { GroupSummary } from './group-summary.js';
export { judgePartition, worse, severityOf } from './partition-status.js';
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

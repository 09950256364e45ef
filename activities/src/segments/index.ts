// The segment language lowered to SQL over the shop tables, and what runs on it: audience counts
// and samples, snapshots into a run's cohorts, partitions of a cohort, RFM group sizes.
export { compileSegment, parseCondition, SegmentQuery } from './compile.ts';
export type { CompiledSegment } from './compile.ts';
export { localDateOf } from './context.ts';
export type { SegmentContext } from './context.ts';
export { dateEntrySegment, dateRuleCondition } from './date-rule.ts';
export { partitionBySegment, partitionRandom } from './partition.ts';
export type { CohortAddress, PartitionCounts, RandomPartition, SegmentPartition } from './partition.ts';
export { maskEmail, maskPhone, maskPhones } from './phone-mask.ts';
export { previewSegment } from './preview.ts';
export type { SampleCustomer, SegmentPreview } from './preview.ts';
export { groupSizes } from './rfm-report.ts';
export type { GroupSizes } from './rfm-report.ts';
export { snapshotAudience } from './snapshot.ts';
export type { SnapshotOptions, SnapshotResult } from './snapshot.ts';
export type { MemberSet, Queryable } from '../db/member-set.ts';

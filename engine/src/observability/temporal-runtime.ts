// The Temporal SDK's own logs and metrics, routed into ours: its logger (workflow and activity
// loggers included, and the Rust core's lines, forwarded) writes through the engine's logger, and
// with HUITOU_TEMPORAL_METRICS=host:port the core serves its worker metrics (task latencies, slots,
// polls, sticky cache) for Prometheus at http://host:port/metrics. Must run before the first
// NativeConnection or Worker is created (the Runtime is per process and cannot be replaced).
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import type { LogLevel as SdkLevel } from '@temporalio/common';
import type { Config } from '../config.ts';
import type { LogFields, LogFn, LogLevel } from './logger.ts';

const SDK_LEVEL: Record<LogLevel, SdkLevel> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' };
const OUR_LEVEL: Record<SdkLevel, LogLevel> = {
  TRACE: 'debug',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

export function installTemporalRuntime(config: Pick<Config, 'log' | 'temporalMetricsAddress'>, log: LogFn): void {
  const level = SDK_LEVEL[config.log.level];
  Runtime.install({
    logger: new DefaultLogger(level, (entry: LogEntry) => log(entry.message, OUR_LEVEL[entry.level], fieldsOf(entry))),
    telemetryOptions: {
      // The core is chatty at INFO; its warnings and errors are what an operator needs.
      logging: { forward: {}, filter: { core: level === 'DEBUG' ? 'DEBUG' : 'WARN', other: 'ERROR' } },
      metrics: config.temporalMetricsAddress
        ? { prometheus: { bindAddress: config.temporalMetricsAddress, countersTotalSuffix: true } }
        : undefined,
    },
  });
}

/** The SDK's metadata (workflow id, activity type, task queue) as fields of the line. */
function fieldsOf(entry: LogEntry): LogFields {
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(entry.meta ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
    else if (typeof value === 'bigint') fields[key] = value.toString();
    else if (value !== undefined && value !== null)
      fields[key] = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return fields;
}

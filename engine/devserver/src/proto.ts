// Protocol plumbing: the protobufjs reflection root shipped inside @temporalio/proto, gRPC service
// definitions built from it, and conversions between proto time types and milliseconds.
import type * as grpc from '@grpc/grpc-js';
import protoRoot from '@temporalio/proto';
import type * as protoModule from '@temporalio/proto';
import type { temporal } from '@temporalio/proto';
import type * as protobuf from 'protobufjs';
import Long from 'long';

export type { temporal };
export const root = protoRoot as unknown as protobuf.Root & typeof protoModule;

export const api = root.temporal.api;
export const EventType = api.enums.v1.EventType;
export const WorkflowStatus = api.enums.v1.WorkflowExecutionStatus;
export const RetryState = api.enums.v1.RetryState;
export const TimeoutType = api.enums.v1.TimeoutType;

/**
 * The generated types insist on Long for int64 fields; protobufjs encodes plain numbers just as
 * well. Loose<T> accepts both, deeply, so messages can be written as plain objects.
 */
export type Loose<T> = T extends Long
  ? Long | number
  : T extends Uint8Array
    ? T
    : T extends (infer U)[]
      ? Loose<U>[]
      : T extends object
        ? { [K in keyof T]?: Loose<T[K]> | null }
        : T;

export type Payloads = Loose<temporal.api.common.v1.IPayloads>;
export type Payload = Loose<temporal.api.common.v1.IPayload>;
export type Failure = Loose<temporal.api.failure.v1.IFailure>;
export type HistoryEvent = Loose<temporal.api.history.v1.IHistoryEvent>;
export type Command = temporal.api.command.v1.ICommand;
export type RetryPolicy = Loose<temporal.api.common.v1.IRetryPolicy>;
export type Timestamp = { seconds?: Long | number | null; nanos?: number | null };
export type Duration = Timestamp;

/** A gRPC service definition for grpc-js, derived by reflection from the protobufjs service. */
export function serviceDefinition(serviceName: string): grpc.ServiceDefinition {
  const service = root.lookupService(serviceName);
  const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const method of Object.values(service.methods)) {
    const requestType = root.lookupType(method.requestType);
    const responseType = root.lookupType(method.responseType);
    definition[method.name] = {
      path: `/${serviceName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (value: object) => Buffer.from(requestType.encode(value).finish()),
      requestDeserialize: (bytes: Buffer) => requestType.decode(bytes),
      responseSerialize: (value: object) => Buffer.from(responseType.encode(value).finish()),
      responseDeserialize: (bytes: Buffer) => responseType.decode(bytes),
      originalName: method.name,
    };
  }
  return definition as grpc.ServiceDefinition;
}

export function toNumber(value: Long | number | string | null | undefined): number {
  if (value == null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return value.toNumber();
}

export function msToTimestamp(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds: Long.fromNumber(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export const msToDuration = msToTimestamp;

export function timestampToMs(ts: Timestamp | null | undefined): number {
  if (!ts) return 0;
  return toNumber(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

export const durationToMs = timestampToMs;

export function hasDuration(d: Duration | null | undefined): boolean {
  return durationToMs(d) > 0;
}

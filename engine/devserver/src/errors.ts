// gRPC errors the way the real frontend reports them: a status code, a message and, where the SDK
// looks for one, a typed detail in `grpc-status-details-bin`.
import { Metadata, status } from '@grpc/grpc-js';
import { root } from './proto.js';

export { status as Code };

export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
    readonly detail?: { type: string; value: object },
  ) {
    super(message);
  }

  /** The error as a google.rpc.Status message. */
  status(): { code: number; message: string; details: { type_url: string; value: Uint8Array }[] } {
    const details = this.detail ? [anyOf(this.detail.type, this.detail.value)] : [];
    return { code: this.code, message: this.message, details };
  }

  metadata(): Metadata | undefined {
    if (!this.detail) return undefined;
    const encoded = root.lookupType('google.rpc.Status').encode(this.status()).finish();
    const md = new Metadata();
    md.set('grpc-status-details-bin', Buffer.from(encoded));
    return md;
  }
}

/** A message packed in a google.protobuf.Any. */
export function anyOf(type: string, value: object): { type_url: string; value: Uint8Array } {
  return { type_url: `type.googleapis.com/${type}`, value: root.lookupType(type).encode(value).finish() };
}

export const invalidArgument = (message: string) => new RpcError(status.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new RpcError(status.NOT_FOUND, message);

export function workflowNotFound(workflowId: string, runId?: string | null): RpcError {
  return new RpcError(
    status.NOT_FOUND,
    `workflow execution not found: workflowId=${workflowId}${runId ? ` runId=${runId}` : ''}`,
    { type: 'temporal.api.errordetails.v1.NotFoundFailure', value: {} },
  );
}

export function namespaceNotFound(namespace: string): RpcError {
  return new RpcError(status.NOT_FOUND, `namespace ${namespace} is not found`, {
    type: 'temporal.api.errordetails.v1.NamespaceNotFoundFailure',
    value: { namespace },
  });
}

export function alreadyStarted(startRequestId: string, runId: string): RpcError {
  return new RpcError(status.ALREADY_EXISTS, 'workflow execution is already running', {
    type: 'temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure',
    value: { startRequestId, runId },
  });
}

export function workflowNotReady(message: string): RpcError {
  return new RpcError(status.FAILED_PRECONDITION, message, {
    type: 'temporal.api.errordetails.v1.WorkflowNotReadyFailure',
    value: {},
  });
}

/** Stands for an operation of a multi-operation that was not run because another one failed. */
export const ABORTED_OPERATION = 'aborted';

/**
 * Update-with-start's error: one status per operation (the failed one, the others aborted or OK);
 * the call's code is the first failed operation's, as the real frontend reports it.
 */
export function multiOperationFailure(operations: (RpcError | typeof ABORTED_OPERATION | null)[]): RpcError {
  const statuses = operations.map((op) => {
    if (op === null) return { code: status.OK, message: '', details: [] };
    if (op === ABORTED_OPERATION) {
      return {
        code: status.ABORTED,
        message: 'Operation was aborted.',
        details: [anyOf('temporal.api.failure.v1.MultiOperationExecutionAborted', {})],
      };
    }
    return op.status();
  });
  const failed = operations.find((op): op is RpcError => op instanceof RpcError);
  return new RpcError(failed?.code ?? status.ABORTED, 'Update-with-Start could not be executed.', {
    type: 'temporal.api.errordetails.v1.MultiOperationExecutionFailure',
    value: { statuses },
  });
}

/** Rejects a request field that must be present. */
export function required<T>(value: T | null | undefined, field: string): T {
  if (value == null || value === '') throw invalidArgument(`${field} is not set on request`);
  return value;
}

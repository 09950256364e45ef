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

  metadata(): Metadata | undefined {
    if (!this.detail) return undefined;
    const detailType = root.lookupType(this.detail.type);
    const statusType = root.lookupType('google.rpc.Status');
    const encoded = statusType.encode({
      code: this.code,
      message: this.message,
      details: [{ type_url: `type.googleapis.com/${this.detail.type}`, value: detailType.encode(this.detail.value).finish() }],
    }).finish();
    const md = new Metadata();
    md.set('grpc-status-details-bin', Buffer.from(encoded));
    return md;
  }
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

/** Rejects a request field that must be present. */
export function required<T>(value: T | null | undefined, field: string): T {
  if (value == null || value === '') throw invalidArgument(`${field} is not set on request`);
  return value;
}

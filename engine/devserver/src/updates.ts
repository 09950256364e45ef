// Workflow updates on the engine's side: admission, delivery to the worker as protocol messages on
// a workflow task, and the worker's answers (acceptance, rejection, response) on its completion.
// As in Temporal's server: nothing is written until an update is accepted (UPDATE_ACCEPTED carries
// the request), a rejection writes nothing at all, and an update only survives a restart once
// accepted (it is rebuilt from history). Waiting for a stage is the RPC side's (update-service.ts).
import type { Engine } from './engine.js';
import type { RpcError } from './errors.js';
import { anyOf, notFound, workflowNotReady } from './errors.js';
import type { Command, Failure, Loose, temporal } from './proto.js';
import { EventType, api, root, toNumber } from './proto.js';
import type { Run } from './run.js';

export type UpdateRequest = Loose<temporal.api.update.v1.IRequest>;
export type UpdateOutcome = Loose<temporal.api.update.v1.IOutcome>;
type Message = temporal.api.protocol.v1.IMessage;

/** The real server's failure for an update the worker neither accepted nor rejected. */
const UNPROCESSED: Failure = {
  message:
    "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported by the worker.",
  source: 'Server',
  applicationFailureInfo: { type: 'UnprocessedUpdate', nonRetryable: true },
};

/** The real server's outcome for an accepted update whose workflow closed before it completed. */
const WORKFLOW_CLOSED_FIRST: UpdateOutcome = {
  failure: {
    message: 'Workflow Update failed because the Workflow completed before the Update completed.',
    source: 'Server',
    applicationFailureInfo: { type: 'AcceptedUpdateCompletedWorkflow', nonRetryable: true },
  },
};

/** Failing attempts from this one on refuse new updates (they could not be delivered anyway). */
const FAILING_TASK_ATTEMPT = 3;

export class Update {
  /** admitted: waits for a workflow task; sent: on one; done: outcome or error known. */
  state: 'admitted' | 'sent' | 'accepted' | 'done' = 'admitted';
  acceptedEventId = 0;
  outcome?: UpdateOutcome;
  error?: RpcError;
  private readonly listeners = new Set<() => void>();

  constructor(
    /** Moves to the next run when the workflow continues as new before accepting the update. */
    public run: Run,
    readonly id: string,
    readonly request: UpdateRequest | null,
  ) {}

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Listeners run after the current call: an update accepted and completed by one workflow task
   * is seen completed even by a caller that only waits for its acceptance (as the real server).
   */
  notify(): void {
    queueMicrotask(() => {
      for (const listener of [...this.listeners]) listener();
    });
  }

  finish(outcome: UpdateOutcome): void {
    this.state = 'done';
    this.outcome = outcome;
    this.notify();
  }

  fail(error: RpcError): void {
    this.state = 'done';
    this.error = error;
    this.notify();
  }
}

/** A message of a workflow task completion, decoded and checked. */
export interface WorkerMessage {
  updateId: string;
  kind: 'acceptance' | 'rejection' | 'response';
  body: temporal.api.update.v1.IAcceptance & temporal.api.update.v1.IRejection & temporal.api.update.v1.IResponse;
}

/**
 * The completion's messages: those a PROTOCOL_MESSAGE command places (by message id); rejections,
 * which write nothing and so may go first; the rest, applied after the commands.
 */
export interface MessagePlan {
  byCommand: Map<string, WorkerMessage>;
  rejections: WorkerMessage[];
  rest: WorkerMessage[];
}

const BODY_TYPES: Record<string, WorkerMessage['kind']> = {
  'temporal.api.update.v1.Acceptance': 'acceptance',
  'temporal.api.update.v1.Rejection': 'rejection',
  'temporal.api.update.v1.Response': 'response',
};

export class Updates {
  constructor(private readonly engine: Engine) {}

  /** An update of the run: in flight, or completed earlier (its outcome from history). */
  find(run: Run, id: string): Update | undefined {
    const inFlight = run.updates.get(id);
    if (inFlight) return inFlight;
    const outcome = run.updateOutcomes.get(id);
    if (!outcome) return undefined;
    const done = new Update(run, id, null);
    done.state = 'done';
    done.outcome = outcome;
    return done;
  }

  /**
   * Admits an update, or returns the one with the same id (deduplication). Without a workflow task
   * pending, a speculative one is scheduled to deliver it; `scheduleTask` is off while a start
   * is about to schedule the first task (update-with-start).
   */
  admit(run: Run, request: UpdateRequest, scheduleTask = true): Update {
    const id = request.meta?.updateId ?? '';
    if (!run.isOpen) {
      const done = this.find(run, id);
      if (done) return done;
      throw notFound('workflow execution already completed');
    }
    if (run.wft && run.wft.attempt >= FAILING_TASK_ATTEMPT) {
      throw workflowNotReady('Unable to perform workflow execution update due to Workflow Task in failed state.');
    }
    const existing = this.find(run, id);
    if (existing) return existing;
    const update = new Update(run, id, request);
    run.updates.set(id, update);
    if (scheduleTask) this.engine.scheduleWorkflowTask(run, 1, true);
    this.engine.changed(run);
    return update;
  }

  /** Whether an admitted update waits for a workflow task to carry it. */
  hasUndelivered(run: Run): boolean {
    for (const update of run.updates.values()) if (update.state === 'admitted') return true;
    return false;
  }

  /**
   * The update requests a starting workflow task carries: the new ones and those sent on a task
   * that failed or timed out. They are to be applied after the events (sequenced before the
   * task's started event, as the real server does).
   */
  messagesFor(run: Run, startedEventId: number): Loose<Message>[] {
    const messages: Loose<Message>[] = [];
    for (const update of run.updates.values()) {
      if (update.state !== 'admitted' && update.state !== 'sent') continue;
      update.state = 'sent';
      messages.push({
        id: `${update.id}/request`,
        protocolInstanceId: update.id,
        eventId: startedEventId - 1,
        body: anyOf('temporal.api.update.v1.Request', update.request!),
      });
    }
    return messages;
  }

  /**
   * Decodes the completion's messages and checks every transition before anything is written;
   * a string is the reason to fail the workflow task instead.
   */
  plan(run: Run, commands: Command[], messages: Message[]): MessagePlan | string {
    const decoded = new Map<string, WorkerMessage>();
    for (const message of messages) {
      const typeName = (message.body?.type_url ?? '').replace(/^type\.googleapis\.com\//, '');
      const kind = BODY_TYPES[typeName];
      if (!kind) return `unsupported protocol message type ${typeName || '(none)'}`;
      const body = root.lookupType(typeName).decode(message.body!.value ?? new Uint8Array()) as WorkerMessage['body'];
      decoded.set(message.id ?? '', { updateId: message.protocolInstanceId ?? '', kind, body });
    }
    const byCommand = new Map<string, WorkerMessage>();
    for (const command of commands) {
      if (command.commandType !== api.enums.v1.CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE) continue;
      const messageId = command.protocolMessageCommandAttributes?.messageId ?? '';
      const message = decoded.get(messageId);
      if (!message) return `ProtocolMessageCommand referenced absent message ID ${messageId}`;
      decoded.delete(messageId);
      byCommand.set(messageId, message);
    }
    const rest = [...decoded.values()];
    const states = new Map<string, Update['state']>();
    for (const message of [...byCommand.values(), ...rest]) {
      const id = message.updateId;
      const state = states.get(id) ?? this.find(run, id)?.state ?? (requestOf(message) ? 'admitted' : undefined);
      if (!state)
        return `update ${id} wasn't found on the server. This is most likely a transient error which will be resolved automatically by retries`;
      const allowed = message.kind === 'response' ? state === 'accepted' : state === 'admitted' || state === 'sent';
      if (!allowed)
        return `invalid state transition attempted for update ${id}: ${message.kind} received while ${state}`;
      states.set(id, message.kind === 'acceptance' ? 'accepted' : 'done');
    }
    return {
      byCommand,
      rejections: rest.filter((m) => m.kind === 'rejection'),
      rest: rest.filter((m) => m.kind !== 'rejection'),
    };
  }

  /** Applies one checked message: acceptance and response write their events, a rejection nothing. */
  apply(run: Run, message: WorkerMessage): void {
    const id = message.updateId;
    let update = run.updates.get(id);
    if (!update) {
      // A request the worker echoes back restores an update this server lost (as the real one does).
      update = new Update(run, id, requestOf(message)!);
      run.updates.set(id, update);
    }
    if (message.kind === 'acceptance') {
      const event = this.engine.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, {
        workflowExecutionUpdateAcceptedEventAttributes: {
          protocolInstanceId: id,
          acceptedRequestMessageId: `${id}/request`,
          acceptedRequestSequencingEventId: message.body.acceptedRequestSequencingEventId,
          acceptedRequest: update.request,
        },
      });
      update.state = 'accepted';
      update.acceptedEventId = event.eventId as number;
      update.notify();
    } else if (message.kind === 'rejection') {
      run.updates.delete(id);
      update.finish({ failure: message.body.failure });
    } else {
      const outcome = message.body.outcome ?? {};
      this.engine.appendEvent(run, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED, {
        workflowExecutionUpdateCompletedEventAttributes: {
          acceptedEventId: update.acceptedEventId,
          meta: message.body.meta,
          outcome,
        },
      });
      run.updates.delete(id);
      run.updateOutcomes.set(id, outcome);
      update.finish(outcome);
    }
  }

  /** Updates a completed task carried but the worker ignored are rejected for it (old SDKs). */
  rejectUnprocessed(run: Run): void {
    for (const update of [...run.updates.values()]) {
      if (update.state !== 'sent') continue;
      run.updates.delete(update.id);
      update.finish({ failure: UNPROCESSED });
    }
  }

  /** A completion the server refused: updates the workflow saw fail, as on the real server. */
  abortSent(run: Run): void {
    for (const update of [...run.updates.values()]) {
      if (update.state !== 'sent') continue;
      run.updates.delete(update.id);
      update.fail(
        workflowNotReady('Unable to perform workflow execution update due to unexpected workflow task failure.'),
      );
    }
  }

  /**
   * The run closed: accepted updates fail (the workflow will never complete them) and stay to be
   * found; updates not yet accepted move to the next run (continue-as-new) or are aborted.
   */
  onClose(run: Run, next?: Run): void {
    for (const update of [...run.updates.values()]) {
      if (update.state === 'accepted') {
        update.finish(WORKFLOW_CLOSED_FIRST);
        continue;
      }
      run.updates.delete(update.id);
      if (next?.isOpen) {
        update.state = 'admitted';
        update.run = next;
        next.updates.set(update.id, update);
        this.engine.scheduleWorkflowTask(next, 1, true);
      } else {
        update.fail(notFound('workflow update was aborted by closing workflow'));
      }
    }
  }

  /** Durable mode: accepted and completed updates come back from history. */
  recover(run: Run): void {
    for (const event of run.events) {
      const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
      const completed = event.workflowExecutionUpdateCompletedEventAttributes;
      if (accepted) {
        const update = new Update(run, accepted.protocolInstanceId ?? '', accepted.acceptedRequest ?? null);
        update.state = 'accepted';
        update.acceptedEventId = toNumber(event.eventId);
        run.updates.set(update.id, update);
      } else if (completed) {
        const id = completed.meta?.updateId ?? '';
        run.updates.delete(id);
        run.updateOutcomes.set(id, completed.outcome ?? {});
      }
    }
    if (!run.isOpen) this.onClose(run);
  }
}

function requestOf(message: WorkerMessage): UpdateRequest | undefined {
  return message.kind === 'acceptance'
    ? (message.body.acceptedRequest ?? undefined)
    : message.kind === 'rejection'
      ? (message.body.rejectedRequest ?? undefined)
      : undefined;
}

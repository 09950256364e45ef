import type { GraphError, JourneySettingsInput } from '@huitou/schemas';
import { nodeTypeOf } from '@huitou/schemas';
import { useI18n } from '../i18n.ts';
import { Icon } from '../canvas/icons.tsx';
import type { FlowNode } from '../journey/model.ts';
import { fieldSchema, fieldsOf } from '../journey/model.ts';
import { FieldRow } from './FieldRow.tsx';
import type { FieldContext } from './FieldWidget.tsx';
import { FieldWidget } from './FieldWidget.tsx';

function schemaDefault(schema: ReturnType<typeof fieldSchema>): unknown {
  const parsed = schema.safeParse(undefined);
  return parsed.success ? parsed.data : undefined;
}

/** The config field an error points at: ['nodes', i, 'config', <field>, ...]. */
function errorField(error: GraphError): string | null {
  return error.path[2] === 'config' && typeof error.path[3] === 'string' ? error.path[3] : null;
}

/** The form for one node, generated from its type's config schema and UI hints (formFields). */
export function NodeInspector(props: {
  node: FlowNode;
  errors: readonly GraphError[];
  settings: JourneySettingsInput;
  otherNodes: FieldContext['otherNodes'];
  readOnly: boolean;
  onConfigChange: (key: string, value: unknown) => void;
  onLabelChange: (label: string | undefined) => void;
  onDelete: () => void;
}) {
  const { t, l } = useI18n();
  const { node, errors, readOnly } = props;
  const def = nodeTypeOf(node.data.type);
  const fieldErrors = new Map<string, string[]>();
  const nodeErrors: string[] = [];
  for (const e of errors) {
    const key = errorField(e);
    if (key === null) nodeErrors.push(l(e.message));
    else fieldErrors.set(key, [...(fieldErrors.get(key) ?? []), l(e.message)]);
  }
  const context: FieldContext = { config: node.data.config, settings: props.settings, otherNodes: props.otherNodes };

  return (
    <div className="inspector" data-testid="node-inspector">
      <div className={`inspector-head cat-${def.category}`}>
        <span className="jnode-icon">
          <Icon name={def.icon} size={18} />
        </span>
        <div>
          <div className="inspector-title">{l(def.label)}</div>
          <div className="inspector-desc">{l(def.description)}</div>
        </div>
      </div>
      {nodeErrors.length > 0 && (
        <ul className="inspector-errors">
          {nodeErrors.map((msg, i) => (
            <li key={i}>{msg}</li>
          ))}
        </ul>
      )}
      <FieldRow label={t('nodeLabel')} htmlFor={`${node.id}-label`}>
        <input
          id={`${node.id}-label`}
          className="input"
          disabled={readOnly}
          value={node.data.label ?? ''}
          placeholder={l(def.label)}
          onChange={(e) => props.onLabelChange(e.target.value === '' ? undefined : e.target.value)}
        />
      </FieldRow>
      {fieldsOf(node.data.type).map((field) => {
        const id = `${node.id}-${field.key}`;
        const schema = fieldSchema(node.data.type, field.key);
        // An unset field shows the value it will get: its schema default.
        const value = node.data.config[field.key] ?? schemaDefault(schema);
        return (
          <FieldRow
            key={field.key}
            testId={`field-${field.key}`}
            label={l(field.hint.label)}
            htmlFor={id}
            required={field.required}
            help={field.hint.help ? l(field.hint.help) : undefined}
            error={fieldErrors.get(field.key)?.join('；')}
          >
            <FieldWidget
              id={id}
              field={field}
              schema={schema}
              value={value}
              onChange={(v) => props.onConfigChange(field.key, v)}
              disabled={readOnly}
              context={context}
            />
          </FieldRow>
        );
      })}
      {!readOnly && (
        <button type="button" className="btn btn-danger-ghost" onClick={props.onDelete}>
          {t('deleteNode')}
        </button>
      )}
    </div>
  );
}

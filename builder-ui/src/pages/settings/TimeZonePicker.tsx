import { useMemo, useState } from 'react';
import { useI18n } from '../../i18n.ts';

/** The zone's region: Asia/Shanghai → Asia; UTC stays on its own. */
const region = (zone: string) => (zone.includes('/') ? zone.slice(0, zone.indexOf('/')) : zone);

/**
 * A select of the IANA zones the engine accepts (never free text), grouped by region, with a filter
 * that narrows the list; the chosen zone stays listed whatever the filter.
 */
export function TimeZonePicker(props: {
  readonly zones: readonly string[];
  readonly value: string;
  readonly disabled: boolean;
  readonly onChange: (zone: string) => void;
}) {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => {
    const needle = filter.trim().toLowerCase().replace(/\s+/g, '_');
    const shown = props.zones.filter((z) => z === props.value || z.toLowerCase().includes(needle));
    const byRegion = new Map<string, string[]>();
    for (const zone of shown) byRegion.set(region(zone), [...(byRegion.get(region(zone)) ?? []), zone]);
    return [...byRegion.entries()];
  }, [props.zones, props.value, filter]);
  return (
    <div className="admin-row">
      <input
        className="input"
        type="search"
        value={filter}
        placeholder={t('settingsTimeZoneFilter')}
        aria-label={t('settingsTimeZoneFilter')}
        disabled={props.disabled}
        onChange={(e) => setFilter(e.target.value)}
        data-testid="settings-tz-filter"
      />
      <select
        className="input admin-tz-list"
        value={props.value}
        aria-label={t('settingsTimeZoneTitle')}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid="settings-tz"
      >
        {groups.map(([name, zones]) => (
          <optgroup key={name} label={name}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

/** A unit's notification channels, and the notifications that did not get through (parked, failed, pending). */
import { useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { DataTable } from '../../components/data-table.js';
import { Loading, useLoad } from '../../components/load.js';
import { fmtTime } from '../../i18n.js';
import { orNone, unitOptions, useUnits } from './parts.js';
import { UnitChannels } from './unit-channels.js';
import { named, w } from './words.js';

export function ChannelsSection() {
  const units = useUnits();
  const [orgId, setOrgId] = useState('');
  const unit = units.find((u) => u.id === orgId);
  return (
    <>
      <div class="field narrow-field">
        <label for="channels-unit">{w('pickUnit')}</label>
        <select id="channels-unit" value={orgId} onChange={(e) => setOrgId(e.currentTarget.value)}>
          <option value="">{w('choose')}</option>
          {unitOptions(units).map(([id, label]) => <option key={id} value={id}>{label}</option>)}
        </select>
      </div>
      {unit ? <UnitChannels key={unit.id} unit={unit} /> : null}
      <h2>{w('deliveries')}</h2>
      <Deliveries />
    </>
  );
}

const STATUSES = ['parked', 'failed', 'pending'] as const;

function Deliveries() {
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('parked');
  const loaded = useLoad(() => must(api.GET('/api/v1/deliveries', { params: { query: { status } } })), [status]);
  return (
    <>
      <div class="toolbar">
        <div class="field">
          <label for="deliveries-status">{w('status')}</label>
          <select id="deliveries-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as typeof status)}>
            {STATUSES.map((s) => <option key={s} value={s}>{named('deliveryStatus', s)}</option>)}
          </select>
        </div>
        <button type="button" class="secondary small" onClick={loaded.reload}>{w('refresh')}</button>
      </div>
      <Loading loaded={loaded}>{(d) => (
        <DataTable caption={w('deliveries')} rows={d.items} rowKey={(x) => x.id} columns={[
          { label: w('unit'), cell: (x) => x.orgName, primary: true },
          { label: w('channel'), cell: (x) => w(x.channel) },
          { label: w('kindOf'), cell: (x) => named('notificationKind', x.kind) },
          { label: w('case'), cell: (x) => (x.caseId ? <code>{x.caseId.slice(0, 8)}</code> : '—') },
          { label: w('attempts'), cell: (x) => x.attempts },
          { label: w('lastError'), cell: (x) => <span class="details">{x.lastError ?? '—'}</span> },
          { label: w('nextAttempt'), cell: (x) => fmtTime(x.nextAttemptAt) },
          { label: w('parkedUntil'), cell: (x) => orNone(x.receiver.parkedUntil && fmtTime(x.receiver.parkedUntil)) },
        ]} />
      )}</Loading>
    </>
  );
}

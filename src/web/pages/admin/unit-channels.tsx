/** One unit's channels: its webhook (PATCH /orgs/:id). */
import { useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { formErrors, noErrors } from '../../components/errors.js';
import { Card, Field, FormError } from '../../components/field.js';
import { toast } from '../../components/toast.js';
import type { Org } from '../../session.js';
import { refreshUnits } from './parts.js';
import { w } from './words.js';

export function UnitChannels(props: { unit: Org }) {
  const { unit } = props;
  const [url, setUrl] = useState((unit as Org & { webhookUrl?: string | null }).webhookUrl ?? '');
  const [errors, setErrors] = useState(noErrors);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await must(api.PATCH('/api/v1/orgs/{id}', { params: { path: { id: unit.id } }, body: { webhookUrl: url.trim() } }));
      await refreshUnits();
      setErrors(noErrors);
      toast(w('saved'));
    } catch (error) { setErrors(formErrors(error, ['webhookUrl'])); }
  };
  return (
    <Card>
      <form onSubmit={submit} noValidate>
        <h2>{w('channelsOf', { unit: unit.name })}</h2>
        <FormError message={errors.form} />
        <Field id="ch-webhook" label={w('webhookUrl')} error={errors.fields.webhookUrl}>
          <input name="webhookUrl" type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
        </Field>
        <div class="actions"><button type="submit">{w('save')}</button></div>
      </form>
    </Card>
  );
}

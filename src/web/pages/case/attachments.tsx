/** The case's evidence: photos, screenshots, PDFs and voice notes; anyone in scope may add one at any step. */
import { useState } from 'preact/hooks';
import { api, must, token, uploadAttachment } from '../../api/client.js';
import { errorText } from '../../components/errors.js';
import { Loading, useLoad } from '../../components/load.js';
import { toast } from '../../components/toast.js';
import { fmtTime, t } from '../../i18n.js';

const kb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** Downloads go through the API with the bearer header (never a token in a URL), then open as a blob. */
async function open(id: string) {
  const res = await fetch(`/api/v1/attachments/${id}`, { headers: { authorization: `Bearer ${token.value}` } });
  if (!res.ok) return toast(t('offlineError'));
  window.open(URL.createObjectURL(await res.blob()), '_blank', 'noopener');
}

export function Attachments(props: { caseId: string }) {
  const list = useLoad(() => must(api.GET('/api/v1/cases/{id}/attachments', { params: { path: { id: props.caseId } } })), [props.caseId]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const add = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    try {
      await uploadAttachment(props.caseId, file, file.name);
      setError(null);
      toast(`${t('upload')} · ${t('done')}`);
      list.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      input.value = '';
    }
  };
  return (
    <section class="no-print" aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t('attachments')}</h2>
      <Loading loaded={list}>{(a) => a.items.length ? (
        <ul class="attachments">
          {a.items.map((x) => (
            <li key={x.id}><button type="button" class="link" onClick={() => open(x.id)}>{x.name}</button>
              <span class="muted"> · {kb(x.size)} · {fmtTime(x.createdAt)}</span></li>
          ))}
        </ul>
      ) : <p class="muted">{t('none')}</p>}</Loading>
      <div class={`field${error ? ' invalid' : ''}`}>
        <label for="attach-file">{t('upload')}{t('optional')}</label>
        <input id="attach-file" type="file" name="file" accept="image/*,application/pdf,audio/*" disabled={busy} onChange={add}
          aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'attach-error' : undefined} />
        {error ? <div class="error" id="attach-error" role="alert">{error}</div> : null}
      </div>
    </section>
  );
}

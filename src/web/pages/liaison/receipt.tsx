/** After registration: the reference and the receipt code for the worker, printable (the code is shown once). */
import { t } from '../../i18n.js';
import type { Registered } from './registration.js';

export function Receipt(props: { registered: Registered & { photo?: boolean; voice?: boolean }; notice: string | null; onNext: () => void }) {
  const { registered } = props;
  const statusLink = `${location.origin}/status?reference=${encodeURIComponent(registered.reference)}`;
  return (
    <section class="card receipt" aria-labelledby="receipt-title">
      {props.notice ? <p class="banner no-print" role="status">{props.notice}</p> : null}
      <h1 id="receipt-title">{t('registered')} · {t('receipt')}</h1>
      <dl>
        <dt>{t('reference')}</dt><dd class="big">{registered.reference}</dd>
        {registered.receiptCode ? <><dt>{t('receiptCode')}</dt><dd class="big code">{registered.receiptCode}</dd></> : null}
      </dl>
      <p>{t('receiptHelp')}：<br /><span class="link-text">{statusLink}</span></p>
      {registered.photo === true ? <p class="muted">{t('photoUploaded')}</p> : null}
      {registered.photo === false ? <p class="form-error" role="alert">{t('photoFailed')}</p> : null}
      {registered.voice === true ? <p class="muted">{t('voiceUploaded')}</p> : null}
      {registered.voice === false ? <p class="form-error" role="alert">{t('voiceFailed')}</p> : null}
      <div class="actions no-print">
        <button type="button" onClick={() => window.print()}>{t('print')}</button>
        <a class="button secondary" href={`#/case/${registered.id}`}>{registered.reference}</a>
        <button type="button" class="secondary" onClick={props.onNext}>{t('nextCase')}</button>
      </div>
    </section>
  );
}

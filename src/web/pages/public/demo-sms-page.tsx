/** /demo/sms (demo mode only): the texts workers would have received, newest first, their links live and the phones masked. */
import { Card } from '../../components/field.js';
import { Loading, useLoad } from '../../components/load.js';
import { t } from '../../i18n.js';
import { demoSms } from './public-api.js';

export function DemoSmsPage() {
  const texts = useLoad(() => demoSms(), []);
  return (
    <Card class="narrow">
      <h1>{t('demoSmsTitle')}</h1>
      <p>{t('demoSmsIntro')}</p>
      <Loading loaded={texts}>{({ items }) => items.length === 0 ? <p>{t('demoSmsNone')}</p> : (
        <ol class="sms-list">
          {items.map((sms) => (
            <li key={sms.id} class="sms">
              <p class="muted">{new Date(sms.createdAt).toLocaleString()} · {t('smsTo')} {sms.phone} · {t('reference')} {sms.reference}</p>
              <p class="sms-text">{sms.text.replace(sms.link, '').trim()}</p>
              <p><a href={sms.link}>{t('openLink')}</a> <span class="muted sms-link">{sms.link}</span></p>
            </li>
          ))}
        </ol>
      )}</Loading>
    </Card>
  );
}

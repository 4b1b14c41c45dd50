/**
 * Under the phone field: the worker's other open cases in this branch (GET /cases/open-for-worker,
 * the branch's own cases only, matched by the phone's digits; the answer never holds the phone).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { t } from '../../i18n.js';

/** Asked once typing pauses and the number looks whole (the server checks its form: 400, shown as no hint). */
const WAIT_MS = 500;
const looksWhole = (phone: string) => phone.replace(/[^0-9]/g, '').length >= 7;

export function OpenCasesHint(props: { phone: string }) {
  const [found, setFound] = useState<{ count: number; references: string[] } | null>(null);
  const phone = props.phone.trim();
  useEffect(() => {
    setFound(null);
    if (!looksWhole(phone) || !navigator.onLine) return;
    let current = true;
    const timer = setTimeout(() => {
      must(api.GET('/api/v1/cases/open-for-worker', { params: { query: { phone } } }))
        .then((answer) => { if (current) setFound(answer); }, () => {});
    }, WAIT_MS);
    return () => { current = false; clearTimeout(timer); };
  }, [phone]);
  if (!found?.count) return null;
  return (
    <p class="banner open-cases" role="status">
      {t('openCasesHint', { n: found.count })}
      {found.references.join('、')}
    </p>
  );
}

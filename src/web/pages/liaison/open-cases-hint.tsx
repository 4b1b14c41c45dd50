/**
 * Under the phone field: the worker's other open cases in this branch (GET /cases/open-for-worker,
 * the branch's own cases only, matched by the phone's digits; the answer never holds the phone).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, must } from '../../api/client.js';
import { t } from '../../i18n.js';

const PHONE = /^\+?[0-9][0-9 -]{5,19}$/;
const WAIT_MS = 500;

export function OpenCasesHint(props: { phone: string }) {
  const [found, setFound] = useState<{ count: number; references: string[] } | null>(null);
  const phone = props.phone.trim();
  useEffect(() => {
    setFound(null);
    if (!PHONE.test(phone) || !navigator.onLine) return;
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

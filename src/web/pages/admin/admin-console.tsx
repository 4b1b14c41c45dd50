/** The admin console's entry (helper ADMIN builds the console here, in src/web/pages/admin/). */
import { tEnum } from '../../i18n.js';
import type { Session } from '../../session.js';

export function AdminConsole(props: { session: Session }) {
  return <h1>{tEnum('role', props.session.me.role)}</h1>;
}

import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { audit } from '../../audit.js';
import type { BotDeps } from '../../deps.js';
import { homeFor } from '../../home-view.js';
import { describeError } from '../../respond.js';

/** Publishes the person's App Home each time they open it (the Messages tab fires the event too; it is skipped). */
export function appHomeOpened(deps: BotDeps) {
  return async ({ event, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    try {
      await client.views.publish({ user_id: event.user, view: await homeFor(event.user, deps) });
      audit(deps.log, { user: event.user, action: 'app_home_opened', target: 'their App Home', result: 'published' });
    } catch (err) {
      deps.log.error(`App Home for ${event.user} could not be published: ${describeError(err)}`);
      audit(deps.log, {
        user: event.user,
        action: 'app_home_opened',
        target: 'their App Home',
        result: 'error (see the log line before)',
      });
    }
  };
}

import type { App } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { MFA_CHECK_COMMAND, mfaCheck } from './mfa-check.js';

export function register(app: App, deps: BotDeps): void {
  app.command(MFA_CHECK_COMMAND, mfaCheck(deps));
}

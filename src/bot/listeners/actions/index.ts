import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTION_IDS, CHECK_ACTION_IDS, ENFORCE_ACTION_IDS } from '../../../slack/blocks/ids.js';
import type { BotDeps } from '../../deps.js';
import { recheckAnswerButton } from './recheck-answer.js';
import { help } from './help.js';
import { recheckNudgeButton } from './recheck-nudge.js';
import { rootDeleteButton, rootDeleteModal } from './root-delete.js';
import { snooze1d } from './snooze.js';
import { ROOT_DELETE_ACTION, ROOT_DELETE_MODAL } from '../../../slack/blocks/root-delete.js';
import { enforceButton, exemptButton, exemptModal, liftButton, postponeButton } from './enforcement.js';

export function register(app: App, deps: BotDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.recheck, recheckNudgeButton(deps));
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.snooze1d, snooze1d(deps));
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.help, help(deps));
  app.action<BlockAction<ButtonAction>>(CHECK_ACTION_IDS.checkAgain, recheckAnswerButton(deps));
  app.action<BlockAction<ButtonAction>>(ROOT_DELETE_ACTION, rootDeleteButton(deps));
  app.action<BlockAction<ButtonAction>>(ENFORCE_ACTION_IDS.enforce, enforceButton(deps));
  app.action<BlockAction<ButtonAction>>(ENFORCE_ACTION_IDS.postpone, postponeButton(deps));
  app.action<BlockAction<ButtonAction>>(ENFORCE_ACTION_IDS.exempt, exemptButton(deps));
  app.action<BlockAction<ButtonAction>>(ENFORCE_ACTION_IDS.lift, liftButton(deps));
  app.view(ENFORCE_ACTION_IDS.exemptModal, exemptModal(deps));
  app.view(ROOT_DELETE_MODAL, rootDeleteModal(deps));
}

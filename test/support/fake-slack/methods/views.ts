import { BLOCK_LIMITS, validateBlocks } from '../block-kit.js';
import { isRecord, json, nonEmpty } from '../params.js';
import { type MethodSpec, fail, failWithMessages, ok } from './context.js';

const VIEW_MAX_BYTES = 250 * 1024;

export const viewMethods: Record<string, MethodSpec> = {
  /**
   * App Home. Schema problems come back as invalid_arguments with
   * response_metadata.messages, which is how Slack answers views.* calls.
   */
  'views.publish': {
    tier: 4,
    handler: ({ ws, params, now }) => {
      const userId = nonEmpty(params, 'user_id');
      const user = userId === undefined ? undefined : ws.users.get(userId);
      if (user === undefined || userId === undefined)
        return failWithMessages('invalid_arguments', ['invalid `user_id`']);
      const viewArg = json(params, 'view');
      if (!viewArg.present) return failWithMessages('invalid_arguments', ['[ERROR] missing required field: view']);
      if (!viewArg.valid || !isRecord(viewArg.value)) {
        return failWithMessages('invalid_arguments', [
          '[ERROR] failed to match all allowed schemas [json-pointer:/view]',
        ]);
      }
      const view = viewArg.value;
      if (JSON.stringify(view).length > VIEW_MAX_BYTES) return fail('view_too_large');
      if (view.type !== 'home') {
        return failWithMessages('invalid_arguments', ['[ERROR] must be one of: home [json-pointer:/view/type]']);
      }
      if (!Array.isArray(view.blocks)) {
        return failWithMessages('invalid_arguments', ['[ERROR] missing required field: blocks [json-pointer:/view]']);
      }
      const problems = validateBlocks(view.blocks, BLOCK_LIMITS.viewBlocks, '/view/blocks');
      if (problems.length > 0) return failWithMessages('invalid_arguments', problems);

      const existing = ws.homeViews.get(userId);
      const hash = nonEmpty(params, 'hash');
      if (hash !== undefined && existing !== undefined && existing.hash !== hash) return fail('hash_conflict');
      const t = now();
      const id = existing?.id ?? ws.nextId('V');
      const newHash = `${Math.floor(t / 1000)}.${ws.randomKey().slice(0, 8)}`;
      ws.homeViews.set(userId, { id, user_id: userId, view, hash: newHash, publishedAt: t });
      return ok({
        view: {
          id,
          team_id: ws.teamId,
          type: 'home',
          blocks: view.blocks,
          private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
          callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
          external_id: typeof view.external_id === 'string' ? view.external_id : '',
          state: { values: {} },
          hash: newHash,
          root_view_id: id,
          previous_view_id: null,
          app_id: 'AFAKEAPP01',
          bot_id: ws.botId,
        },
      });
    },
  },
  /**
   * A modal, opened in answer to an interaction: the trigger_id is good once and for 3 seconds
   * (invalid_trigger_id, expired_trigger_id, exchanged_trigger_id). The title is plain text of at most 24
   * characters; a view with input blocks needs a submit button; private_metadata holds at most 3,000 characters.
   */
  'views.open': {
    tier: 4,
    handler: ({ ws, params, now }) => {
      const trigger = nonEmpty(params, 'trigger_id');
      if (trigger === undefined) return fail('invalid_trigger_id');
      const issuedAt = Number(trigger.split('.')[0]);
      if (!/^\d+\.\d+\.[0-9a-f]+$/.test(trigger) || !Number.isFinite(issuedAt)) return fail('invalid_trigger_id');
      if (now() - issuedAt > 3_000) return fail('expired_trigger_id');
      if (ws.usedTriggers.has(trigger)) return fail('exchanged_trigger_id');
      const viewArg = json(params, 'view');
      if (!viewArg.present) return failWithMessages('invalid_arguments', ['[ERROR] missing required field: view']);
      if (!viewArg.valid || !isRecord(viewArg.value))
        return failWithMessages('invalid_arguments', [
          '[ERROR] failed to match all allowed schemas [json-pointer:/view]',
        ]);
      const view = viewArg.value;
      if (view.type !== 'modal')
        return failWithMessages('invalid_arguments', ['[ERROR] must be one of: modal [json-pointer:/view/type]']);
      const title = isRecord(view.title) ? view.title : undefined;
      if (title?.type !== 'plain_text' || typeof title.text !== 'string' || title.text.length > 24)
        return failWithMessages('invalid_arguments', [
          '[ERROR] must be plain_text of at most 24 characters [json-pointer:/view/title]',
        ]);
      if (!Array.isArray(view.blocks))
        return failWithMessages('invalid_arguments', ['[ERROR] missing required field: blocks [json-pointer:/view]']);
      const problems = validateBlocks(view.blocks, BLOCK_LIMITS.viewBlocks, '/view/blocks');
      if (problems.length > 0) return failWithMessages('invalid_arguments', problems);
      const hasInput = view.blocks.some((b) => isRecord(b) && b.type === 'input');
      if (hasInput && !isRecord(view.submit))
        return failWithMessages('invalid_arguments', ['[ERROR] submit is required when input blocks are present']);
      if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000)
        return failWithMessages('invalid_arguments', [
          '[ERROR] must be at most 3000 characters [json-pointer:/view/private_metadata]',
        ]);
      ws.usedTriggers.add(trigger);
      const id = ws.nextId('V');
      ws.openedViews.push({ id, trigger_id: trigger, view, openedAt: now() });
      return ok({
        view: { id, team_id: ws.teamId, type: 'modal', ...view, state: { values: {} }, app_id: 'AFAKEAPP01' },
      });
    },
  },
};

import { isRecord } from './params.js';

/**
 * Block Kit limits as Slack enforces them. Violations produce messages in Slack's
 * format: "[ERROR] <problem> [json-pointer:/blocks/0/text/text]".
 */
export const BLOCK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  blockId: 255,
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  buttonUrl: 3000,
  imageAltText: 2000,
  imageUrl: 3000,
  markdownText: 12000,
  inputLabel: 2000,
  /** chat.postMessage / chat.update `text`. */
  messageText: 40000,
  /** Serialized `blocks` JSON length before msg_blocks_too_long (see README). */
  blocksJsonChars: 13200,
  attachments: 100,
} as const;

const KNOWN_BLOCK_TYPES = new Set([
  'section',
  'header',
  'divider',
  'context',
  'actions',
  'image',
  'input',
  'rich_text',
  'markdown',
  'file',
  'video',
  'table',
  'context_actions',
]);

type Problems = string[];

function err(problems: Problems, message: string, pointer: string): void {
  problems.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
}

function maxLen(problems: Problems, value: string, max: number, pointer: string): void {
  if (value.length > max) err(problems, `must be less than ${max + 1} characters`, pointer);
}

/** A text composition object; `plainOnly` for headers, buttons, labels. */
function checkText(problems: Problems, t: unknown, pointer: string, max: number, plainOnly = false): void {
  if (!isRecord(t) || typeof t.text !== 'string' || (t.type !== 'plain_text' && t.type !== 'mrkdwn')) {
    err(problems, 'failed to match all allowed schemas', pointer);
    return;
  }
  if (plainOnly && t.type !== 'plain_text') {
    err(problems, 'must be a plain_text text object', `${pointer}/type`);
    return;
  }
  if (t.text.length === 0) err(problems, 'must be more than 0 characters', `${pointer}/text`);
  maxLen(problems, t.text, max, `${pointer}/text`);
}

function checkElement(problems: Problems, el: unknown, pointer: string): void {
  if (!isRecord(el) || typeof el.type !== 'string') {
    err(problems, 'failed to match all allowed schemas', pointer);
    return;
  }
  if (typeof el.action_id === 'string') maxLen(problems, el.action_id, BLOCK_LIMITS.actionId, `${pointer}/action_id`);
  if (el.type === 'button') {
    checkText(problems, el.text, `${pointer}/text`, BLOCK_LIMITS.buttonText, true);
    if (typeof el.value === 'string') maxLen(problems, el.value, BLOCK_LIMITS.buttonValue, `${pointer}/value`);
    if (typeof el.url === 'string') maxLen(problems, el.url, BLOCK_LIMITS.buttonUrl, `${pointer}/url`);
    if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
      err(problems, 'must be one of primary, danger', `${pointer}/style`);
    }
  } else if (el.type === 'image') {
    if (typeof el.alt_text !== 'string') err(problems, 'is required', `${pointer}/alt_text`);
    if (typeof el.image_url !== 'string' && !isRecord(el.slack_file))
      err(problems, 'is required', `${pointer}/image_url`);
  }
}

function checkBlock(problems: Problems, block: unknown, pointer: string, seenIds: Set<string>): void {
  if (!isRecord(block) || typeof block.type !== 'string' || !KNOWN_BLOCK_TYPES.has(block.type)) {
    err(problems, 'failed to match all allowed schemas', pointer);
    return;
  }
  if (block.block_id !== undefined) {
    if (typeof block.block_id !== 'string') {
      err(problems, 'must be a string', `${pointer}/block_id`);
    } else {
      maxLen(problems, block.block_id, BLOCK_LIMITS.blockId, `${pointer}/block_id`);
      if (seenIds.has(block.block_id)) err(problems, `duplicate block_id: ${block.block_id}`, `${pointer}/block_id`);
      seenIds.add(block.block_id);
    }
  }
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined) {
        err(problems, 'must provide either text or fields', pointer);
      }
      if (block.text !== undefined) checkText(problems, block.text, `${pointer}/text`, BLOCK_LIMITS.sectionText);
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) {
          err(problems, 'must be an array', `${pointer}/fields`);
        } else {
          if (block.fields.length > BLOCK_LIMITS.sectionFields) {
            err(problems, `no more than ${BLOCK_LIMITS.sectionFields} items allowed`, `${pointer}/fields`);
          }
          block.fields.forEach((f, i) => {
            checkText(problems, f, `${pointer}/fields/${i}`, BLOCK_LIMITS.sectionField);
          });
        }
      }
      if (block.accessory !== undefined) checkElement(problems, block.accessory, `${pointer}/accessory`);
      break;
    }
    case 'header':
      checkText(problems, block.text, `${pointer}/text`, BLOCK_LIMITS.headerText, true);
      break;
    case 'context': {
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        err(problems, 'must provide at least 1 item', `${pointer}/elements`);
        break;
      }
      if (block.elements.length > BLOCK_LIMITS.contextElements) {
        err(problems, `no more than ${BLOCK_LIMITS.contextElements} items allowed`, `${pointer}/elements`);
      }
      block.elements.forEach((el, i) => {
        const p = `${pointer}/elements/${i}`;
        if (isRecord(el) && el.type === 'image') checkElement(problems, el, p);
        else checkText(problems, el, p, BLOCK_LIMITS.sectionText);
      });
      break;
    }
    case 'actions': {
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        err(problems, 'must provide at least 1 item', `${pointer}/elements`);
        break;
      }
      if (block.elements.length > BLOCK_LIMITS.actionsElements) {
        err(problems, `no more than ${BLOCK_LIMITS.actionsElements} items allowed`, `${pointer}/elements`);
      }
      block.elements.forEach((el, i) => {
        checkElement(problems, el, `${pointer}/elements/${i}`);
      });
      break;
    }
    case 'image':
      checkElement(problems, block, pointer);
      if (typeof block.image_url === 'string')
        maxLen(problems, block.image_url, BLOCK_LIMITS.imageUrl, `${pointer}/image_url`);
      if (typeof block.alt_text === 'string')
        maxLen(problems, block.alt_text, BLOCK_LIMITS.imageAltText, `${pointer}/alt_text`);
      break;
    case 'markdown':
      if (typeof block.text !== 'string') err(problems, 'is required', `${pointer}/text`);
      else maxLen(problems, block.text, BLOCK_LIMITS.markdownText, `${pointer}/text`);
      break;
    case 'rich_text':
      if (!Array.isArray(block.elements)) err(problems, 'is required', `${pointer}/elements`);
      break;
    case 'input':
      checkText(problems, block.label, `${pointer}/label`, BLOCK_LIMITS.inputLabel, true);
      if (block.element === undefined) err(problems, 'is required', `${pointer}/element`);
      else checkElement(problems, block.element, `${pointer}/element`);
      break;
    default:
      break;
  }
}

/**
 * Validate a blocks array. `base` is the JSON pointer of the array ("/blocks" for
 * messages, "/view/blocks" for views). Returns Slack-style messages; empty = valid.
 */
export function validateBlocks(blocks: unknown[], maxBlocks: number, base = '/blocks'): string[] {
  const problems: Problems = [];
  if (blocks.length > maxBlocks) err(problems, `no more than ${maxBlocks} items allowed`, base);
  const seen = new Set<string>();
  blocks.forEach((b, i) => {
    checkBlock(problems, b, `${base}/${i}`, seen);
  });
  return problems;
}

export type ContentCheck =
  | { ok: true; text: string; blocks?: unknown[]; attachments?: unknown[] }
  | { ok: false; error: string; messages?: string[] };

export interface ContentInput {
  text: string | undefined;
  blocks: { present: false } | { present: true; valid: true; value: unknown } | { present: true; valid: false };
  attachments: { present: false } | { present: true; valid: true; value: unknown } | { present: true; valid: false };
  maxBlocksJsonChars: number;
}

/**
 * Message content rules shared by chat.postMessage / chat.update / chat.postEphemeral, in
 * the order Slack applies them: malformed JSON, missing content, text length, the whole
 * blocks payload size, then the per-block schema.
 */
export function checkMessageContent(input: ContentInput): ContentCheck {
  let blocks: unknown[] | undefined;
  let attachments: unknown[] | undefined;
  if (input.blocks.present) {
    if (!input.blocks.valid || !Array.isArray(input.blocks.value)) {
      return { ok: false, error: 'invalid_blocks_format' };
    }
    blocks = input.blocks.value.length > 0 ? input.blocks.value : undefined;
  }
  if (input.attachments.present) {
    if (!input.attachments.valid || !Array.isArray(input.attachments.value)) {
      return { ok: false, error: 'invalid_attachments' };
    }
    attachments = input.attachments.value.length > 0 ? input.attachments.value : undefined;
  }
  const text = input.text ?? '';
  if (text === '' && blocks === undefined && attachments === undefined) return { ok: false, error: 'no_text' };
  if (text.length > BLOCK_LIMITS.messageText) return { ok: false, error: 'msg_too_long' };
  if (attachments !== undefined && attachments.length > BLOCK_LIMITS.attachments) {
    return { ok: false, error: 'too_many_attachments' };
  }
  if (blocks !== undefined) {
    if (JSON.stringify(blocks).length > input.maxBlocksJsonChars) return { ok: false, error: 'msg_blocks_too_long' };
    const problems = validateBlocks(blocks, BLOCK_LIMITS.messageBlocks);
    if (problems.length > 0) return { ok: false, error: 'invalid_blocks', messages: problems };
  }
  return {
    ok: true,
    text,
    ...(blocks !== undefined ? { blocks } : {}),
    ...(attachments !== undefined ? { attachments } : {}),
  };
}

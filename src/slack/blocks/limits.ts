import type { ContextBlock, DividerBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { truncate } from '../mrkdwn.js';

/** Slack's Block Kit limits for messages (chat.postMessage / chat.update). */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  /** Top-level `text`. */
  messageText: 40_000,
  /** Slack answers `msg_blocks_too_long` when the serialized blocks pass roughly this size. */
  blocksJson: 13_000,
} as const;

/**
 * What our builders allow themselves for the serialized blocks: well under Slack's ~13k, measured in
 * UTF-8 bytes (never fewer than characters), so a non-ASCII exemption reason cannot tip a message over.
 */
export const BLOCKS_JSON_BUDGET = 12_000;

/** The fallback `text` is a notification line, not a document. */
export const FALLBACK_TEXT_MAX = 3000;

export function blocksJsonSize(blocks: readonly KnownBlock[]): number {
  return Buffer.byteLength(JSON.stringify(blocks), 'utf8');
}

/** Does a blocks array fit a message within our budget? */
export function fitsMessage(blocks: readonly KnownBlock[]): boolean {
  return blocks.length <= SLACK_LIMITS.messageBlocks && blocksJsonSize(blocks) <= BLOCKS_JSON_BUDGET;
}

export function header(text: string, blockId?: string): HeaderBlock {
  return {
    type: 'header',
    ...(blockId ? { block_id: blockId } : {}),
    text: {
      type: 'plain_text',
      text: truncate(text.replace(/\s+/g, ' ').trim() || ' ', SLACK_LIMITS.headerText),
      emoji: true,
    },
  };
}

/** A mrkdwn section; `text` must already be escaped mrkdwn. Cut to the section limit as a last resort. */
export function section(text: string, blockId?: string): SectionBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'mrkdwn', text: truncate(text === '' ? ' ' : text, SLACK_LIMITS.sectionText) },
  };
}

/** A section of mrkdwn fields (two columns in Slack): at most 10, each cut to 2,000 characters. */
export function fieldsSection(fields: readonly string[], blockId?: string): SectionBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    fields: fields
      .slice(0, SLACK_LIMITS.sectionFields)
      .map((f) => ({ type: 'mrkdwn' as const, text: truncate(f === '' ? ' ' : f, SLACK_LIMITS.sectionField) })),
  };
}

/** A context block of mrkdwn elements: at most 10. */
export function context(elements: readonly string[], blockId?: string): ContextBlock {
  return {
    type: 'context',
    ...(blockId ? { block_id: blockId } : {}),
    elements: elements
      .slice(0, SLACK_LIMITS.contextElements)
      .map((e) => ({ type: 'mrkdwn' as const, text: truncate(e === '' ? ' ' : e, SLACK_LIMITS.contextText) })),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

/**
 * Groups lines into texts of at most `max` characters (joined with newlines), without splitting a
 * line; a single line longer than `max` is truncated.
 */
export function packLines(lines: readonly string[], max: number = SLACK_LIMITS.sectionText): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncate(raw, max);
    if (current === '') current = line;
    else if (current.length + 1 + line.length <= max) current += `\n${line}`;
    else {
      out.push(current);
      current = line;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/** Limit problems in a blocks array, as readable strings; empty when Slack would accept it. */
export function limitViolations(blocks: readonly KnownBlock[]): string[] {
  const problems: string[] = [];
  if (blocks.length > SLACK_LIMITS.messageBlocks)
    problems.push(`${blocks.length} blocks (max ${SLACK_LIMITS.messageBlocks})`);
  const size = blocksJsonSize(blocks);
  if (size > BLOCKS_JSON_BUDGET) problems.push(`blocks JSON is ${size} bytes (budget ${BLOCKS_JSON_BUDGET})`);
  const ids = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `block ${i} (${block.type})`;
    if (block.block_id !== undefined) {
      if (ids.has(block.block_id)) problems.push(`${at}: duplicate block_id ${block.block_id}`);
      ids.add(block.block_id);
      if (block.block_id.length > SLACK_LIMITS.blockId) problems.push(`${at}: block_id too long`);
    }
    const tooLong = (what: string, text: string, max: number) => {
      if (text.length > max) problems.push(`${at}: ${what} is ${text.length} characters (max ${max})`);
      if (text.length === 0) problems.push(`${at}: ${what} is empty`);
    };
    switch (block.type) {
      case 'header':
        tooLong('header text', block.text.text, SLACK_LIMITS.headerText);
        break;
      case 'section':
        if (block.text === undefined && block.fields === undefined) problems.push(`${at}: neither text nor fields`);
        if (block.text) tooLong('section text', block.text.text, SLACK_LIMITS.sectionText);
        if (block.fields) {
          if (block.fields.length > SLACK_LIMITS.sectionFields)
            problems.push(`${at}: ${block.fields.length} fields (max ${SLACK_LIMITS.sectionFields})`);
          block.fields.forEach((f, j) => {
            tooLong(`field ${j}`, f.text, SLACK_LIMITS.sectionField);
          });
        }
        break;
      case 'context':
        if (block.elements.length === 0 || block.elements.length > SLACK_LIMITS.contextElements) {
          problems.push(`${at}: ${block.elements.length} elements (1 to ${SLACK_LIMITS.contextElements})`);
        }
        block.elements.forEach((e, j) => {
          if ('text' in e && typeof e.text === 'string') tooLong(`element ${j}`, e.text, SLACK_LIMITS.contextText);
        });
        break;
      case 'actions':
        if (block.elements.length === 0 || block.elements.length > SLACK_LIMITS.actionsElements) {
          problems.push(`${at}: ${block.elements.length} elements (1 to ${SLACK_LIMITS.actionsElements})`);
        }
        block.elements.forEach((e, j) => {
          if (e.type !== 'button') return;
          tooLong(`button ${j} text`, e.text.text, SLACK_LIMITS.buttonText);
          if (e.value !== undefined && e.value.length > SLACK_LIMITS.buttonValue)
            problems.push(`${at}: button ${j} value too long`);
          if (e.action_id !== undefined && e.action_id.length > SLACK_LIMITS.actionId)
            problems.push(`${at}: button ${j} action_id too long`);
        });
        break;
      default:
        break;
    }
  });
  return problems;
}

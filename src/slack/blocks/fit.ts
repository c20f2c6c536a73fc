import type { KnownBlock } from '@slack/types';
import { blocksJsonSize, BLOCKS_JSON_BUDGET, packLines, section, SLACK_LIMITS } from './limits.js';

export interface FitLimits {
  maxBlocks: number;
  /** Serialized size budget in UTF-8 bytes. */
  maxBytes: number;
}

export const MESSAGE_FIT: FitLimits = { maxBlocks: SLACK_LIMITS.messageBlocks, maxBytes: BLOCKS_JSON_BUDGET };

export function fits(blocks: readonly KnownBlock[], limits: FitLimits): boolean {
  return blocks.length <= limits.maxBlocks && blocksJsonSize(blocks) <= limits.maxBytes;
}

export interface FitInput {
  head: KnownBlock[];
  /** Already-escaped mrkdwn lines, most important first; packed into sections of up to 3,000 characters. */
  lines: readonly string[];
  tail: KnownBlock[];
  /** The line that replaces what did not fit, e.g. "…and 12 more users". */
  more: (hidden: number) => string;
  limits?: FitLimits;
}

/**
 * head, then as many lines as fit (packed into sections), then a line saying how many were left out, then
 * tail: the largest prefix of `lines` for which the whole stays within the limits.
 */
export function fitLines(input: FitInput): KnownBlock[] {
  const limits = input.limits ?? MESSAGE_FIT;
  const compose = (n: number): KnownBlock[] => {
    const shown = input.lines.slice(0, n);
    const hidden = input.lines.length - n;
    const body = hidden > 0 ? [...shown, input.more(hidden)] : shown;
    return [...input.head, ...packLines(body).map((text) => section(text)), ...input.tail];
  };
  if (fits(compose(input.lines.length), limits)) return compose(input.lines.length);
  let lo = 0;
  let hi = input.lines.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(compose(mid), limits)) lo = mid;
    else hi = mid - 1;
  }
  return compose(lo);
}

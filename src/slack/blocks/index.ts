export { buildDigest, DEFAULT_DIGEST_TITLE, DETAIL_MAX_ACCOUNTS, type Digest, type DigestInput, type DigestOverflow } from './digest.js';
export { buildEscalation, type EscalationInput } from './escalation.js';
export { type NudgeAccount, type SlackMessage } from './format.js';
export { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS, decodeButtonValue, encodeButtonValue, type ActionId, type NudgeButtonValue } from './ids.js';
export { BLOCKS_JSON_BUDGET, blocksJsonSize, fitsMessage, limitViolations, SLACK_LIMITS } from './limits.js';
export { buildNudge, NUDGE_BUTTON_LABELS, type NudgeInput, type NudgeKind } from './nudge.js';
export { buildResolvedNudgeUpdate, type ResolvedNudgeUpdateInput } from './resolved-nudge.js';
export { blocksToText, mrkdwnToText } from './text.js';
export { buildThankYou, type ThankYouInput } from './thank-you.js';

export { FakeSlack, startFakeSlack } from './fake-slack.js';
export { BLOCK_LIMITS, validateBlocks } from './block-kit.js';
export { DEFAULT_TIERS, DEFAULT_POST_PER_CHANNEL, DEFAULT_POST_WORKSPACE } from './rate-limiter.js';
export { PRECISE_RETRY_HEADER } from './server.js';
export { SOCKET_PATH, type SocketAck, type SocketEnvelope } from './socket-mode.js';
export type { Workspace } from './workspace.js';
export type * from './types.js';

import { LogLevel, type Logger } from '@slack/bolt';

export type LevelName = 'debug' | 'info' | 'warn' | 'error';

export interface BotLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const ORDER: Record<LevelName, number> = { debug: 0, info: 1, warn: 2, error: 3 };

// Bot, user, app-level and configuration tokens; Slack's response URLs are one-time credentials too.
const SECRETS: Array<[RegExp, string]> = [
  [/xox[a-z]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/xapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  [/https:\/\/hooks\.slack\.com\/[^\s"']+/g, 'https://hooks.slack.com/[redacted]'],
];

export function redactSecrets(text: string): string {
  return SECRETS.reduce((t, [re, replacement]) => t.replace(re, replacement), text);
}

/** One line per message, `2026-11-23T12:00:00.000Z warn  text`, with tokens redacted whatever the caller passed. */
export function lineLogger(
  write: (line: string) => void,
  level: LevelName = 'info',
  now: () => Date = () => new Date(),
): BotLog {
  const at = (name: LevelName) => (message: string) => {
    if (ORDER[name] < ORDER[level]) return;
    write(`${now().toISOString()} ${name.padEnd(5)} ${redactSecrets(message).replace(/\s*\n\s*/g, ' ')}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLog: BotLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Bolt's and the Socket Mode client's Logger, writing through ours (so through the redaction). */
export function boltLogger(log: BotLog, name = 'bolt'): Logger {
  let level = LogLevel.INFO;
  let prefix = name;
  const part = (m: unknown) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m));
  const text = (msg: unknown[]) => `${prefix}: ${msg.map(part).join(' ')}`;
  return {
    debug: (...msg) => level === LogLevel.DEBUG && log.debug(text(msg)),
    info: (...msg) => (level === LogLevel.DEBUG || level === LogLevel.INFO) && log.info(text(msg)),
    warn: (...msg) => level !== LogLevel.ERROR && log.warn(text(msg)),
    error: (...msg) => log.error(text(msg)),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: (n) => void (prefix = n),
  };
}

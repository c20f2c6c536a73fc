import type { Config } from '../config/schema.js';
import { SlackConfigError } from '../slack/client.js';

/**
 * The digest channel, or a message that says where to set it: in the file given, or in a config file there is not yet.
 */
export function requireDigestChannel(config: Config, configPath: string | undefined): string {
  if (config.slack.digestChannel) return config.slack.digestChannel;
  throw new SlackConfigError(
    configPath
      ? `slack.digestChannel is not set in ${configPath}: set it to ` +
          'the ID of the channel for the digest (such as C0123456789)'
      : 'no config file, so no slack.digestChannel: copy mfa-bot.example.yml to mfa-bot.yml, set ' +
          'slack.digestChannel to the ID of the channel for the digest, and pass --config mfa-bot.yml (or set ' +
          'MFA_BOT_CONFIG)',
  );
}

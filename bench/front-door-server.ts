// Child process of bench/front-door.bench.ts: `serve` over HTTP, with nothing else in the process to measure.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { startServer } from '../src/cli/serve-command.js';
import { parseConfig } from '../src/config/load.js';
import { silentLog } from '../src/bot/logger.js';
import { createAwsClients } from '../src/aws/clients.js';

const [slackUrl, botToken] = process.argv.slice(2) as [string, string];
const server = await startServer({
  config: parseConfig({}),
  env: { SLACK_BOT_TOKEN: botToken, SLACK_API_URL: slackUrl, SLACK_SIGNING_SECRET: 'bench-signing-secret', PORT: '0' },
  log: silentLog,
  // Nothing answers there: the first scan fails at once, and the bot keeps serving.
  aws: createAwsClients({
    endpoint: 'http://127.0.0.1:9',
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  }),
  host: '127.0.0.1',
});
await server.firstScan;
process.on('message', (m) => {
  if (m === 'rss')
    process.send!({ rssMb: process.memoryUsage().rss / 2 ** 20, maxRssMb: process.resourceUsage().maxRSS / 1024 });
  if (m === 'stop') void server.stop().then(() => process.exit(0));
});
process.send!({ port: server.port });

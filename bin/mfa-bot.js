#!/usr/bin/env node
// The AWS SDK versions in package-lock.json support Node 20; its notice about future releases is not for our users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Tokens and settings from ./.env, when there is one; variables already set in the environment win.
const dotenv = await import('dotenv');
dotenv.config({ quiet: true });
const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv);

import type { IAMClient, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-iam';
import type { DeserializeMiddleware, InitializeMiddleware, Pluggable } from '@smithy/types';

const OPEN = Buffer.from('<Content>');
const CLOSE = Buffer.from('</Content>');
const KEY = Symbol('mfa-bot credential report content');

type Ctx = { commandName?: string; [KEY]?: Uint8Array };

async function readBody(body: unknown): Promise<Buffer | undefined> {
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>)
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  return undefined;
}

/**
 * GetCredentialReport returns the whole report as one base64 text node. The SDK's XML parser builds that
 * text a character at a time, which for a 10,000-user report costs over 100 MB of transient memory. This
 * plugin lifts the base64 out of the raw body before the SDK parses the (now tiny) rest, and puts the
 * decoded bytes back into the command's output. Every other command is untouched.
 */
const lift: DeserializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next, context) => async (args) => {
  const result = await next(args);
  const ctx = context as Ctx;
  const response = result.response as { body?: unknown; statusCode?: number };
  if (ctx.commandName !== 'GetCredentialReportCommand' || response.statusCode !== 200) return result;
  const raw = await readBody(response.body);
  if (!raw) return result;
  const start = raw.indexOf(OPEN);
  const end = start < 0 ? -1 : raw.indexOf(CLOSE, start);
  if (start >= 0 && end >= 0) {
    ctx[KEY] = Buffer.from(raw.subarray(start + OPEN.length, end).toString('latin1'), 'base64');
    response.body = Buffer.concat([raw.subarray(0, start + OPEN.length), raw.subarray(end)]);
  } else {
    response.body = raw;
  }
  return result;
};

const restore: InitializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next, context) => async (args) => {
  const result = await next(args);
  const lifted = (context as Ctx)[KEY];
  if (lifted) (result.output as { Content?: Uint8Array }).Content = lifted;
  return result;
};

export const credentialReportContentPlugin: Pluggable<ServiceInputTypes, ServiceOutputTypes> = {
  applyToStack(stack) {
    // Innermost in its step: it sees the raw HTTP response before the deserializer does.
    stack.add(lift, { step: 'deserialize', priority: 'low', name: 'mfaBotCredentialReportContentLift' });
    stack.add(restore, { step: 'initialize', priority: 'high', name: 'mfaBotCredentialReportContentRestore' });
  },
};

export function liftCredentialReportContent(iam: IAMClient): IAMClient {
  iam.middlewareStack.use(credentialReportContentPlugin);
  return iam;
}

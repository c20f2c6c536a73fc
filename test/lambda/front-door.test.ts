import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/bot/front-door.js';
import { useMoto } from '../support/use-moto.js';
import { slashCommand } from '../bot/harness/payloads.js';
import { slackSignature } from '../bot/harness/sign.js';
import { httpApiEvent, type ApiGatewayEvent } from './events.js';
import { ANN, SIGNING_SECRET, startLambdaWorld, type LambdaWorld } from './world.js';

const moto = useMoto();
let world: LambdaWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const CONTEXT = {};
const nowSeconds = () => Math.floor(Date.now() / 1000);

function unsigned(event: ApiGatewayEvent, body: unknown): ApiGatewayEvent {
  const headers = { ...event.headers };
  delete headers['x-slack-signature'];
  delete headers['x-slack-request-timestamp'];
  delete headers['content-length'];
  return { ...event, headers, body, isBase64Encoded: false } as unknown as ApiGatewayEvent;
}

describe('slack: the Lambda handler’s front door', () => {
  it('answers unsigned junk with 401 instead of throwing: a null, non-JSON or JSON-typed body', async () => {
    world = await startLambdaWorld(moto);
    const handler = await world.slackHandler();
    const base = httpApiEvent({ json: { type: 'event_callback' } }, SIGNING_SECRET);
    for (const body of [null, undefined, '{not json', '', { type: 'event_callback' }, 42, ['x']]) {
      const res = await handler(unsigned(base, body), CONTEXT);
      expect(res.statusCode, JSON.stringify(body)).toBe(401);
    }
    // Not even an API Gateway request.
    expect((await handler(null as unknown as ApiGatewayEvent, CONTEXT)).statusCode).toBe(400);
    expect(world.invoked).toEqual([]);
  });

  it('answers Slack’s unsigned SSL check with 200 and runs nothing; other unsigned form bodies get 401', async () => {
    world = await startLambdaWorld(moto);
    const handler = await world.slackHandler();
    const base = httpApiEvent({ form: { ssl_check: '1', token: 'xxx' } }, SIGNING_SECRET);
    const form = (body: string) =>
      unsigned(
        {
          ...base,
          headers: { ...base.headers, 'content-type': 'application/x-www-form-urlencoded' },
        } as ApiGatewayEvent,
        body,
      );
    expect((await handler(form('ssl_check=1&token=xxx'), CONTEXT)).statusCode).toBe(200);
    const smuggled = new URLSearchParams(slashCommand('me --fresh', ANN, world.responses.url('smuggled')));
    expect((await handler(form(`ssl_check=1&${smuggled.toString()}`), CONTEXT)).statusCode).toBe(200);
    expect((await handler(form('token=xxx'), CONTEXT)).statusCode).toBe(401);
    expect((await handler(form(`ssl_check=1&token=${'x'.repeat(2000)}`), CONTEXT)).statusCode).toBe(401);
    expect(world.invoked).toEqual([]);
    expect(world.responses.for('smuggled')).toEqual([]);
  });

  it('refuses junk signed with the wrong secret, and malformed signature headers, with 401', async () => {
    world = await startLambdaWorld(moto);
    const handler = await world.slackHandler();
    const ts = nowSeconds();
    const junk = {
      ...httpApiEvent({ json: {} }, SIGNING_SECRET),
      body: '{not json',
      isBase64Encoded: false,
    } as ApiGatewayEvent;
    const forged = {
      ...junk,
      headers: {
        ...junk.headers,
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': slackSignature('wrong', ts, '{not json'),
      },
    } as ApiGatewayEvent;
    expect((await handler(forged, CONTEXT)).statusCode).toBe(401);
    const malformed = { ...junk, headers: { ...junk.headers, 'x-slack-signature': 'v0=xyz' } } as ApiGatewayEvent;
    expect((await handler(malformed, CONTEXT)).statusCode).toBe(401);
  });

  it(
    'refuses a correctly signed request stamped more than five minutes ahead: ' + '+301 s, +1 h, +1 day, +1,000,000 s',
    async () => {
      world = await startLambdaWorld(moto);
      const handler = await world.slackHandler();
      for (const ahead of [301, 3600, 86_400, 1_000_000]) {
        const event = httpApiEvent(
          { form: slashCommand('me', ANN, world.responses.url(`ahead-${ahead}`)) },
          SIGNING_SECRET,
          { timestamp: nowSeconds() + ahead },
        );
        expect((await handler(event, CONTEXT)).statusCode, `+${ahead} s`).toBe(401);
        expect(world.responses.for(`ahead-${ahead}`)).toEqual([]);
      }
    },
  );

  it(`refuses a body over ${MAX_BODY_BYTES} bytes with 413, signed or not`, async () => {
    world = await startLambdaWorld(moto);
    const handler = await world.slackHandler();
    const big = httpApiEvent(
      { form: slashCommand('x'.repeat(MAX_BODY_BYTES), ANN, world.responses.url('big')) },
      SIGNING_SECRET,
    );
    expect((await handler(big, CONTEXT)).statusCode).toBe(413);
    const noLength = { ...big, headers: { ...big.headers } } as ApiGatewayEvent;
    delete (noLength.headers as Record<string, string>)['content-length'];
    expect((await handler(noLength, CONTEXT)).statusCode).toBe(413);
    expect(world.responses.for('big')).toEqual([]);
  });

  it('a signed body Bolt cannot parse is answered 400, not thrown', async () => {
    world = await startLambdaWorld(moto);
    const handler = await world.slackHandler();
    const ts = nowSeconds();
    const base = httpApiEvent({ json: {} }, SIGNING_SECRET);
    const event = {
      ...base,
      body: '{not json',
      isBase64Encoded: false,
      headers: {
        ...base.headers,
        'content-length': '9',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': slackSignature(SIGNING_SECRET, ts, '{not json'),
      },
    } as ApiGatewayEvent;
    expect((await handler(event, CONTEXT)).statusCode).toBe(400);
  });
});

import { CreateLoginProfileCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { lambdaChartRendering } from '../../src/lambda/chart.js';
import { runScheduled } from '../../src/lambda/scheduled.js';
import { lineLogger } from '../../src/bot/logger.js';
import { useMoto } from '../support/use-moto.js';
import { scheduledEvent } from './events.js';
import { SECURITY_CHANNEL, startLambdaWorld, type LambdaWorld } from './world.js';

const moto = useMoto();
let world: LambdaWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

/** What src/report/chart/render.ts says in a package whose MFA_BOT_CHART_ASSETS is wrong. */
const MISSING =
  'the chart renderer cannot read /var/task/wrong/index_bg.wasm: ' +
  "ENOENT: no such file or directory, open '/var/task/wrong/index_bg.wasm'";

const pngs = (w: LambdaWorld) => w.slack.files().filter((f) => f.filename.endsWith('.png'));
const chartLines = (w: LambdaWorld) => w.logs.filter((l) => /chart/i.test(l));

describe('the digest chart on Lambda', () => {
  it('without the renderer: one info line at the cold start, then digests go without the chart, quietly', async () => {
    world = await startLambdaWorld(moto, {
      config: { digest: { chart: 'weekly' } },
      chartRendererProbe: async () => MISSING,
    });
    expect(chartLines(world)).toEqual([
      expect.stringMatching(/ info .*digest\.chart is weekly, but this container cannot draw the chart/),
    ]);
    expect(chartLines(world)[0]).toContain(MISSING);

    await runScheduled(scheduledEvent('scan'), world.runtime);
    expect(world.slack.messages({ channel: SECURITY_CHANNEL })).toHaveLength(1);
    // A second digest, with other findings: a new console user without MFA, a day later.
    const { iam } = world.runtime.aws;
    await iam.send(new CreateUserCommand({ UserName: 'carol' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'carol', Password: 'Passw0rd!Passw0rd!' }));
    world.clock.now = new Date(world.clock.now.getTime() + 86_400_000);
    await moto.setClock(world.clock.now);
    await runScheduled(scheduledEvent('scan'), world.runtime);

    expect(world.slack.messages({ channel: SECURITY_CHANNEL }).length).toBeGreaterThanOrEqual(2);
    expect(pngs(world)).toEqual([]);
    expect(world.slack.countCalls('files.getUploadURLExternal')).toBe(0);
    expect(chartLines(world)).toHaveLength(1);
    expect(world.logs.filter((l) => / (warn|error) /.test(l))).toEqual([]);
  });

  it('with the renderer (a package that has it): the chart is drawn and attached, as outside Lambda', async () => {
    world = await startLambdaWorld(moto, { config: { digest: { chart: 'weekly' } } });
    expect(chartLines(world)).toEqual([]);
    await runScheduled(scheduledEvent('scan'), world.runtime);
    expect(pngs(world)).toHaveLength(1);
  });
});

describe('lambdaChartRendering', () => {
  const log = lineLogger(() => {}, 'info');

  it('does not look for the renderer when digest.chart is off', async () => {
    let probed = false;
    const probe = async () => {
      probed = true;
      return MISSING;
    };
    expect(await lambdaChartRendering(parseConfig({ digest: { chart: 'off' } }), log, probe)).toBeUndefined();
    expect(probed).toBe(false);
  });

  it('finds the renderer where npm installed it', async () => {
    expect(await lambdaChartRendering(parseConfig({}), log)).toBeUndefined();
  });
});

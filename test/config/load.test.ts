import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText } from '../../src/config/load.js';

describe('config', () => {
  it('applies defaults to an empty file', () => {
    const c = parseConfigText('');
    expect(c.checks).toEqual({ gracePeriodDays: 7, rootHardwareMfa: true, userHardwareMfa: false });
    expect(c.exemptions).toEqual([]);
    expect(c.identity).toMatchObject({ emailTag: 'email', slackIdTag: 'slack' });
  });

  it('reads exemptions; a date-only expiry covers that whole day', () => {
    const c = parseConfigText(
      `exemptions:\n  - { account: "123456789012", principal: breakglass, ` +
        `reason: "sealed envelope in the safe", expires: 2027-06-30 }\n`,
    );
    expect(c.exemptions[0]!.expires).toEqual(new Date('2027-07-01T00:00:00Z'));
  });

  it('names the key of every problem', () => {
    const bad =
      `checks:\n  gracePeriodDays: -1\n  userHardwareMfa: "yes"\nexemptions:\n  - { ` +
      `account: "12345", principal: x, reason: "", expires: 2027-02-30 }\nslak: {}\n`;
    let message = '';
    try {
      parseConfigText(bad, 'mfa-bot.yml');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/^mfa-bot.yml: /);
    expect(message).toContain('checks.gracePeriodDays');
    expect(message).toContain('checks.userHardwareMfa');
    expect(message).toContain('exemptions.0.account: must be a 12-digit AWS account ID');
    expect(message).toContain('exemptions.0.reason');
    expect(message).toContain('exemptions.0.expires: "2027-02-30" is not a date');
    expect(message).toContain('unknown key "slak"');
  });

  it('reports YAML syntax errors with the line', () => {
    expect(() => parseConfigText('checks:\n  gracePeriodDays: [1,\n', 'c.yml')).toThrow(/c.yml line \d+: invalid YAML/);
  });

  it('reports a missing file by name', () => {
    expect(() => loadConfig('/nonexistent/mfa-bot.yml')).toThrow(
      '/nonexistent/mfa-bot.yml: cannot read config file (ENOENT)',
    );
  });

  it('loads from a path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-'));
    const path = join(dir, 'c.yml');
    writeFileSync(path, 'checks: { gracePeriodDays: 0 }\n');
    expect(loadConfig(path).checks.gracePeriodDays).toBe(0);
  });
});

describe('the example config shipped in the repository', () => {
  it('is valid, and says what its comments say', () => {
    const c = loadConfig('mfa-bot.example.yml');
    expect(c.nudges.enabled).toBe(false);
    expect(c.state).toMatchObject({ path: './data/mfa-bot.db', keepScans: 30 });
    expect(c.exemptions[0]).toMatchObject({ principal: 'breakglass', account: '123456789012' });
  });
});

describe('a misspelt key', () => {
  it.each([
    ['nudgs: { enabled: true }\n', 'unknown key "nudgs" (did you mean "nudges"?)'],
    ['slack: { digestChanel: C0123456789 }\n', 'slack: unknown key "digestChanel" (did you mean "digestChannel"?)'],
    ['nudges: { workingHours: { strat: "08:00" } }\n', 'unknown key "strat" (did you mean "start"?)'],
    ['exemptions:\n  - { acount: "123456789012" }\n', 'unknown key "acount" (did you mean "account"?)'],
  ])('%s is named with the key it was most likely meant as', (text, expected) => {
    expect(() => parseConfigText(text, 'c.yml')).toThrow(expected);
  });

  it('gets no suggestion when no known key is close', () => {
    expect(() => parseConfigText('colour: blue\n', 'c.yml')).toThrow(/unknown key "colour"$/);
  });
});

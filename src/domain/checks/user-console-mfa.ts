import { addDays, isoDate } from '../dates.js';
import { ROOT_PRINCIPAL, type CredentialReportRow } from '../types.js';
import { verdictOf, type Check } from './check.js';
import { cis } from './controls.js';

/** The latest use of an active access key of this row's user, if any key was ever used. */
function lastKeyUse(row: CredentialReportRow): Date | undefined {
  const uses = [
    row.accessKey1Active ? row.accessKey1LastUsed : null,
    row.accessKey2Active ? row.accessKey2LastUsed : null,
  ].filter((d): d is Date => d instanceof Date);
  return uses.sort((a, b) => b.getTime() - a.getTime())[0];
}

export const userConsoleMfa: Check<'user-console-mfa'> = {
  id: 'user-console-mfa',
  title: 'Every IAM user with a console password has MFA',
  label: 'Console MFA',
  scope: 'user',
  severity: 'high',
  controls: [
    ...cis({
      '1.2.0': '1.2',
      '1.3.0': '1.10',
      '1.4.0': '1.10',
      '1.5.0': '1.10',
      '2.0.0': '1.10',
      '3.0.0': '1.10',
      '4.0.1': '1.10',
      '5.0.0': '1.9',
      '6.0.0': '2.9',
    }),
    'Security Hub IAM.5',
    'AWS Config mfa-enabled-for-iam-console-access',
  ],
  remediation:
    'Sign in to the AWS console as this IAM user, open the account menu, choose "Security credentials", and under ' +
    '"Multi-factor authentication (MFA)" choose "Assign MFA device": a ' +
    'passkey or security key, an authenticator app, or a hardware TOTP token. ' +
    'Sign out and back in afterwards so the new session carries MFA. ' +
    'If the user needs no console, delete the console password instead.',
  enabled: () => true,
  evaluate(snapshot, { settings, now }) {
    // An unreadable row may be anyone, so it is an error for this check, not a silent gap.
    const unreadable = (snapshot.credentialReport.unreadableRows ?? []).map((row) =>
      verdictOf(
        userConsoleMfa,
        snapshot,
        `<credential report line ${row.line}>`,
        '',
        'error',
        `Line ${row.line} of the credential ` +
          `report${row.user ? ` (user ${row.user})` : ''} could not be read: ${row.reason}.`,
      ),
    );
    const readable = snapshot.credentialReport.rows
      .filter((row) => row.user !== ROOT_PRINCIPAL)
      .map((row) => {
        const keysLastUsed = lastKeyUse(row);
        const v = (status: Parameters<typeof verdictOf>[4], reason: string, deadline?: Date) =>
          verdictOf(userConsoleMfa, snapshot, row.user, row.arn, status, reason, {
            ...(deadline ? { deadline } : {}),
            ...(keysLastUsed ? { keysLastUsed } : {}),
          });
        if (row.passwordEnabled !== true)
          return v('not_applicable', 'No console password: this user cannot sign in to the console.');
        if (row.mfaActive) return v('pass', 'Console password with MFA enabled.');
        const since = row.passwordLastChanged ?? row.userCreationTime;
        if (settings.gracePeriodDays > 0 && since) {
          const deadline = addDays(since, settings.gracePeriodDays);
          if (now < deadline) {
            return v('grace', `New console password without MFA yet; MFA is due by ${isoDate(deadline)}.`, deadline);
          }
        }
        return v('fail', 'Console password without MFA: the password alone opens this login.');
      });
    return [...readable, ...unreadable];
  },
};

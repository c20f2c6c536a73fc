/** One line of `mfa-bot doctor`: what was checked, how it went, and (when it failed) how to fix it. */
export interface DoctorCheck {
  area: 'config' | 'aws' | 'slack' | 'state' | 'schedule';
  /** What was checked, e.g. `iam:GenerateCredentialReport` or `slack.digestChannel`. */
  name: string;
  /** `skip`: not configured, or it cannot be checked without what failed before it. */
  status: 'ok' | 'fail' | 'skip';
  detail: string;
  fix?: string;
}

type Area = DoctorCheck['area'];

export const ok = (area: Area, name: string, detail: string): DoctorCheck => ({ area, name, status: 'ok', detail });
export const skip = (area: Area, name: string, detail: string): DoctorCheck => ({
  area,
  name,
  status: 'skip',
  detail,
});
export const fail = (area: Area, name: string, detail: string, fix: string): DoctorCheck => ({
  area,
  name,
  status: 'fail',
  detail,
  fix,
});

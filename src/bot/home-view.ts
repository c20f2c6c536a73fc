import type { HomeView } from '@slack/types';
import { buildHome } from '../slack/blocks/home.js';
import type { BotDeps } from './deps.js';
import { scanRows, withLiveResults } from './status-rows.js';

/** The App Home of one person, from the latest scan and any live check since; admins also get every account. */
export async function homeFor(slackUserId: string, deps: Pick<BotDeps, 'ports' | 'admins' | 'now'>): Promise<HomeView> {
  const [latest, refs, isAdmin] = await Promise.all([
    deps.ports.latestScan(),
    deps.ports.iamUsersOf(slackUserId),
    deps.admins.isAdmin(slackUserId),
  ]);
  // The headline reads every stored scan's counts: only for admins, who are the only ones to see it.
  const headline = isAdmin && latest ? await deps.ports.coverageHeadline?.(deps.now()) : undefined;
  return buildHome({
    slackUserId,
    rows: latest ? await withLiveResults(deps.ports, latest.scan, refs, scanRows(latest.scan, refs)) : [],
    ...(latest ? { scan: latest.scan } : {}),
    ...(latest?.nextScanAt ? { nextScanAt: latest.nextScanAt } : {}),
    isAdmin,
    ...(headline ? { headline } : {}),
    now: deps.now(),
  });
}

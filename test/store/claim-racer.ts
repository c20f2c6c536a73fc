// A separate process for the race test: claims every step of one case on a shared state file and prints
// which it won. Usage: tsx claim-racer.ts <state file> <name> <steps> <start at (ms since epoch)> <up|down>
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';

const [path, name, steps, startAt, order] = process.argv.slice(2);
const store = SqliteStateStore.open(path!, { now: new Date() });
// Both processes start claiming at the same instant, after both have opened (and migrated) the file.
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
const won: string[] = [];
// One process goes up and the other down, so they meet and fight over the same steps in the middle.
const numbers = Array.from({ length: Number(steps) }, (_, i) => (order === 'down' ? Number(steps) - i : i + 1));
for (const i of numbers) {
  const step = `nudge-${i}`;
  const r = await store.claim({
    key: { type: 'case', case: { accountId: '111122223333', userName: 'ann', cycle: 1 }, step },
    kind: 'nudge',
    recipient: 'U1',
    claimId: `${name}-${i}`,
    at: new Date(),
  });
  if (r.claimed) won.push(step);
  // A real run sends a message between two claims; without a pause one process could starve the other.
  await new Promise((resolve) => setTimeout(resolve, 1));
}
await store.close();
process.stdout.write(JSON.stringify(won));

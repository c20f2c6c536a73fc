import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/store/sqlite/group-commit.js';

const handles: Database.Database[] = [];
afterEach(() => {
  for (const db of handles.splice(0)) db.close();
});

function twoConnections(): { writer: Database.Database; reader: Database.Database } {
  const path = join(mkdtempSync(join(tmpdir(), 'mfa-group-')), 'state.db');
  const writer = new Database(path);
  writer.pragma('journal_mode = WAL');
  writer.exec('CREATE TABLE t (v TEXT PRIMARY KEY)');
  const reader = new Database(path, { readonly: true });
  handles.push(writer, reader);
  return { writer, reader };
}

const visibleTo = (db: Database.Database): string[] =>
  (db.prepare('SELECT v FROM t ORDER BY v').all() as Array<{ v: string }>).map((r) => r.v);

describe('GroupCommit', () => {
  it('commits the writes asked for in one turn together: another connection sees none until all are done', async () => {
    const { writer, reader } = twoConnections();
    const group = new GroupCommit(writer);
    const insert = writer.prepare('INSERT INTO t (v) VALUES (?)');
    const seenByOthers: string[][] = [];
    const writes = ['a', 'b', 'c'].map((v) =>
      group.run(() => {
        seenByOthers.push(visibleTo(reader));
        return insert.run(v).changes;
      }),
    );
    expect(visibleTo(reader)).toEqual([]);
    expect(await Promise.all(writes)).toEqual([1, 1, 1]);
    // With a transaction each, the third write would have found the first two committed.
    expect(seenByOthers).toEqual([[], [], []]);
    expect(visibleTo(reader)).toEqual(['a', 'b', 'c']);
  });

  it('a write that throws undoes only itself, with its own error; the others commit', async () => {
    const { writer, reader } = twoConnections();
    const group = new GroupCommit(writer);
    const insert = writer.prepare('INSERT INTO t (v) VALUES (?)');
    const first = group.run(() => insert.run('a'));
    const failing = group.run(() => {
      insert.run('half-done');
      insert.run('a'); // the primary key refuses it
    });
    const last = group.run(() => insert.run('z'));
    await expect(failing).rejects.toThrow(/UNIQUE constraint failed/);
    await first;
    await last;
    expect(visibleTo(reader)).toEqual(['a', 'z']);
  });

  it('writes asked after a commit go in the next one; a failed commit rejects each write of its batch', async () => {
    const { writer, reader } = twoConnections();
    const group = new GroupCommit(writer);
    await group.run(() => writer.prepare('INSERT INTO t (v) VALUES (?)').run('first'));
    expect(visibleTo(reader)).toEqual(['first']);
    // Another process holds the write lock, and this one does not wait: the batch cannot begin.
    const other = new Database(writer.name);
    handles.push(other);
    other.exec('BEGIN IMMEDIATE');
    writer.pragma('busy_timeout = 0');
    const insert = writer.prepare('INSERT INTO t (v) VALUES (?)');
    const batch = [group.run(() => insert.run('x')), group.run(() => insert.run('y'), { durable: false })];
    for (const outcome of await Promise.allSettled(batch)) {
      expect(outcome.status).toBe('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
    }
    other.exec('ROLLBACK');
    expect(await group.run(() => insert.run('z').changes)).toBe(1);
    expect(visibleTo(reader)).toEqual(['first', 'z']);
  });
});

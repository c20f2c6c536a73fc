import { int, isRecord, json, nonEmpty, str } from '../params.js';
import type { FakeChannel, FakeFile } from '../types.js';
import type { Workspace } from '../workspace.js';
import { type MethodSpec, fail, failWithMessages, ok } from './context.js';
import { looksLikeUserId, dmWithUser, writable } from './targets.js';

export const UPLOAD_PATH = '/upload/v1/';

const MIME: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  html: 'text/html',
  md: 'text/markdown',
};

function fileObject(f: FakeFile, ws: Workspace, baseUrl: string, shares: FakeChannel[]): Record<string, unknown> {
  const ext = (f.filename.split('.').pop() ?? '').toLowerCase();
  return {
    id: f.id,
    created: Math.floor(f.created / 1000),
    timestamp: Math.floor(f.created / 1000),
    name: f.filename,
    title: f.title,
    mimetype: MIME[ext] ?? 'application/octet-stream',
    filetype: ext,
    user: ws.botUserId,
    size: f.bytes?.length ?? f.length,
    is_public: shares.some((c) => c.kind === 'channel' && !c.is_private),
    url_private: `${baseUrl}/files-pri/${ws.teamId}-${f.id}/${encodeURIComponent(f.filename)}`,
    permalink: `${baseUrl}/files/${ws.botUserId}/${f.id}/${encodeURIComponent(f.filename)}`,
    channels: shares.filter((c) => c.kind === 'channel' && !c.is_private).map((c) => c.id),
    groups: shares.filter((c) => c.kind === 'channel' && c.is_private).map((c) => c.id),
    ims: shares.filter((c) => c.kind === 'im').map((c) => c.id),
  };
}

/** Store bytes POSTed to an upload URL. Returns the file, or undefined for an unknown URL. */
export function receiveUpload(ws: Workspace, key: string, bytes: Buffer): FakeFile | undefined {
  for (const f of ws.files.values()) {
    if (f.uploadKey === key) {
      f.bytes = bytes;
      return f;
    }
  }
  return undefined;
}

export const fileMethods: Record<string, MethodSpec> = {
  /** filename + length → an upload_url on this same server and a file id. */
  'files.getUploadURLExternal': {
    tier: 3,
    scopes: ['files:write'],
    handler: ({ ws, params, baseUrl, now }) => {
      const filename = nonEmpty(params, 'filename');
      const length = int(params, 'length');
      const missing: string[] = [];
      if (filename === undefined) missing.push('[ERROR] missing required field: filename');
      if (length === undefined) missing.push('[ERROR] missing required field: length');
      if (missing.length > 0 || filename === undefined || length === undefined)
        return failWithMessages('invalid_arguments', missing);
      if (Number.isNaN(length) || length < 0)
        return failWithMessages('invalid_arguments', ['[ERROR] must be an integer [json-pointer:/length]']);
      if (length === 0) return fail('missing_argument');
      const altText = str(params, 'alt_txt') ?? str(params, 'alt_text');
      if (altText !== undefined && altText.length > 1000) return fail('alt_txt_too_large');
      const snippetType = nonEmpty(params, 'snippet_type');
      const f: FakeFile = {
        id: ws.nextId('F'),
        filename,
        title: filename,
        length,
        ...(altText !== undefined ? { alt_text: altText } : {}),
        ...(snippetType !== undefined ? { snippet_type: snippetType } : {}),
        uploadKey: ws.randomKey(),
        completed: false,
        created: now(),
      };
      ws.files.set(f.id, f);
      return ok({ upload_url: `${baseUrl}${UPLOAD_PATH}${f.uploadKey}`, file_id: f.id });
    },
  },

  /**
   * files=[{id,title}] (+ channel_id or channels, initial_comment, thread_ts): the file is
   * shared into the conversation as a message whose text is the initial comment.
   */
  'files.completeUploadExternal': {
    tier: 4,
    scopes: ['files:write'],
    handler: (ctx) => {
      const { ws, params, baseUrl } = ctx;
      const filesArg = json(params, 'files');
      if (!filesArg.present) return failWithMessages('invalid_arguments', ['[ERROR] missing required field: files']);
      if (!filesArg.valid || !Array.isArray(filesArg.value) || filesArg.value.length === 0) {
        return failWithMessages('invalid_arguments', [
          '[ERROR] failed to match all allowed schemas [json-pointer:/files]',
        ]);
      }
      const entries: Array<{ file: FakeFile; title?: string }> = [];
      for (const entry of filesArg.value) {
        if (!isRecord(entry) || typeof entry.id !== 'string') {
          return failWithMessages('invalid_arguments', [
            '[ERROR] failed to match all allowed schemas [json-pointer:/files]',
          ]);
        }
        const file = ws.files.get(entry.id);
        if (file === undefined || file.bytes === undefined || file.completed) return fail('file_not_found');
        entries.push({
          file,
          ...(typeof entry.title === 'string' && entry.title !== '' ? { title: entry.title } : {}),
        });
      }

      const refs = [
        ...(nonEmpty(params, 'channel_id') !== undefined ? [nonEmpty(params, 'channel_id') ?? ''] : []),
        ...(str(params, 'channels') ?? '')
          .split(',')
          .map((c) => c.trim())
          .filter((c) => c !== ''),
      ];
      if (refs.length > 100) return fail('channels_limit_exceeded');
      const targets: FakeChannel[] = [];
      for (const ref of refs) {
        let t;
        if (looksLikeUserId(ref)) {
          t = dmWithUser(ctx, ref, true);
          if (!t.ok) return fail(t.error === 'channel_not_found' ? 'invalid_channel' : t.error);
        } else {
          const ch = ws.findChannel(ref);
          if (ch === undefined) return fail('channel_not_found');
          t = writable(ctx, ch);
          if (!t.ok) return fail(t.error);
        }
        if (!targets.includes(t.channel)) targets.push(t.channel);
      }

      const initialComment = str(params, 'initial_comment');
      const threadTs = nonEmpty(params, 'thread_ts');
      const blocksArg = json(params, 'blocks');
      const blocks =
        initialComment === undefined && blocksArg.present && blocksArg.valid && Array.isArray(blocksArg.value)
          ? blocksArg.value
          : undefined;
      for (const { file, title } of entries) {
        file.completed = true;
        if (title !== undefined) file.title = title;
        if (initialComment !== undefined) file.initial_comment = initialComment;
        if (threadTs !== undefined) file.thread_ts = threadTs;
      }
      for (const ch of targets) {
        const msg = ws.addMessage(ch, {
          user: ctx.token.userId,
          requestedChannel: ch.id,
          text: initialComment ?? '',
          ...(blocks !== undefined ? { blocks } : {}),
          ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
          files: entries.map((e) => e.file.id),
        });
        for (const { file } of entries) {
          if (file.channel === undefined) {
            file.channel = ch.id;
            file.shareTs = msg.ts;
          }
        }
      }
      return ok({ files: entries.map(({ file }) => fileObject(file, ws, baseUrl, targets)) });
    },
  },
};

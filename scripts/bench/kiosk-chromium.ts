/**
 * Debian Chromium run as a wall's kiosk runs it: one page at a URL, nothing attached to it but what a
 * measurement needs. The DevTools protocol is spoken over Chromium's pipe (`--remote-debugging-pipe`:
 * JSON messages ending in a NUL on file descriptors 3 and 4), so no library sits between.
 *
 * Why not Playwright here: its page session turns on the DevTools Network domain, and Chromium then
 * keeps every response body for DevTools in the renderer (up to 200 MB by default). A wall re-reading its
 * figures all day showed that store as the renderer's growth; a kiosk has no DevTools attached.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM_ARGS } from '../../test/support/browser.ts';

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

export interface KioskChromium {
  process: ChildProcess;
  /** a DevTools command to the browser, or to the page with `onPage` */
  send<T = Record<string, unknown>>(method: string, params?: object, onPage?: boolean): Promise<T>;
  /** the value of a JavaScript expression in the page (awaited when it is a promise) */
  evaluate<T>(expression: string): Promise<T>;
  /** calls `listener` with every event the browser sends, until the returned function is called */
  onEvent(listener: (method: string, params: Record<string, unknown>) => void): () => void;
  close(): Promise<void>;
}

export async function openKiosk(
  url: string,
  viewport = { width: 1920, height: 1080 },
): Promise<KioskChromium> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'gridwatch-kiosk-'));
  const child = spawn(
    process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    [
      ...CHROMIUM_ARGS,
      '--headless',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      `--window-size=${viewport.width},${viewport.height}`,
      '--lang=zh-CN',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'Asia/Shanghai' } },
  );
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(method: string, params: Record<string, unknown>) => void>();
  let buffered = '';
  fromBrowser.setEncoding('utf8');
  fromBrowser.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffered.slice(0, end)) as Message;
      buffered = buffered.slice(end + 1);
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      if (waiting) {
        pending.delete(message.id!);
        if (message.error) waiting.reject(new Error(message.error.message));
        else waiting.resolve(message);
      } else if (message.method)
        for (const listener of listeners) listener(message.method, message.params ?? {});
    }
  });
  child.once('exit', () => {
    for (const { reject } of pending.values()) reject(new Error('Chromium exited'));
    pending.clear();
  });

  let nextId = 0;
  const sendTo = <T>(sessionId: string | undefined, method: string, params: object = {}): Promise<T> => {
    const id = ++nextId;
    toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) })}\0`);
    return new Promise<Message>((resolve, reject) => pending.set(id, { resolve, reject })).then(
      (m) => (m.result ?? {}) as T,
      (error: Error) => Promise.reject(new Error(`${method}: ${error.message}`)),
    );
  };
  const { targetId } = await sendTo<{ targetId: string }>(undefined, 'Target.createTarget', { url });
  const { sessionId: pageSession } = await sendTo<{ sessionId: string }>(undefined, 'Target.attachToTarget', {
    targetId,
    flatten: true,
  });
  const send = <T>(method: string, params: object = {}, onPage = false): Promise<T> =>
    sendTo<T>(onPage ? pageSession : undefined, method, params);

  return {
    process: child,
    send,
    evaluate: async <T>(expression: string) => {
      const answer = await send<{ result: { value?: T }; exceptionDetails?: { text: string } }>(
        'Runtime.evaluate',
        { expression, returnByValue: true, awaitPromise: true },
        true,
      );
      if (answer.exceptionDetails) throw new Error(`evaluate: ${answer.exceptionDetails.text}`);
      return answer.result.value as T;
    },
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        await send('Browser.close').catch(() => undefined);
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        child.kill('SIGKILL');
      }
      await rm(profile, { recursive: true, force: true });
    },
  };
}

import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startMoto, type MotoServer } from './moto/index.js';

/**
 * One emulator for the test file: started before its tests, reset before each one (unless `reset: false`),
 * stopped after. The returned object stands for the server once it has started.
 */
export function useMoto(options: { reset?: boolean } = {}): MotoServer {
  let server: MotoServer | undefined;
  beforeAll(async () => {
    server = await startMoto();
  });
  afterAll(async () => {
    await server?.stop();
  });
  if (options.reset ?? true) {
    beforeEach(async () => {
      await server!.reset();
    });
  }
  return new Proxy({} as MotoServer, {
    get(_, prop) {
      if (!server) throw new Error('the AWS emulator is used before the test file started it');
      const value = (server as unknown as Record<PropertyKey, unknown>)[prop];
      return typeof value === 'function' ? value.bind(server) : value;
    },
  });
}

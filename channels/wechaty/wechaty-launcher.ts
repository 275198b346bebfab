import type { WechatyLike } from './wechaty-bridge.js';
import type { WechatyDirectoryLike } from './update-sender.js';

/** A wechaty instance as the launcher drives it (and the outbox's sender looks contacts up in). */
export interface WechatyInstance extends WechatyLike, WechatyDirectoryLike {
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface WechatyModule {
  WechatyBuilder: {
    build(options: { puppet: string; puppetOptions?: { token?: string } }): WechatyInstance;
  };
}

export class WechatyUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the optional package "wechaty" (and the puppet) is not installed: npm install --include=optional', {
      cause,
    });
    this.name = 'WechatyUnavailableError';
  }
}

/**
 * Loads wechaty only when the bridge is configured: it is an optional dependency, so its name is
 * a variable that neither tsc nor a bundler resolves, and a core install without it still runs.
 */
export async function buildWechaty(options: { puppet: string; token?: string }): Promise<WechatyInstance> {
  const moduleName = 'wechaty';
  let wechaty: WechatyModule;
  try {
    wechaty = (await import(moduleName)) as WechatyModule;
  } catch (error) {
    throw new WechatyUnavailableError(error);
  }
  return wechaty.WechatyBuilder.build({
    puppet: options.puppet,
    ...(options.token ? { puppetOptions: { token: options.token } } : {}),
  });
}

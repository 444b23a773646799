import type { HostClock } from './clock';
import type { InvocationResponse, RegisteredFunction } from './functionsCore';
import type { Invoker } from './invoke';
import type { HostLogger } from './logger';
import type { HostStorage } from './storage';
import type { WorkTracker } from './work';

/** What every part of the local host (HTTP, timers, queues, durable engine) is built from. */
export interface HostServices {
  clock: HostClock;
  work: WorkTracker;
  storage: HostStorage;
  invoker: Invoker;
  logger: HostLogger;
  /** Carries a successful invocation's output bindings (Service Bus, queues) to their local emulation. */
  dispatchOutputs(fn: RegisteredFunction, response: InvocationResponse): Promise<void>;
  /** http://localhost:PORT — the origin the host serves HTTP on. */
  origin(): string;
  /** host.json, parsed. */
  hostJson: Record<string, unknown>;
}

/** A response from a host-served (non-function) endpoint such as the durable management API. */
export interface HostHttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HostHttpRequest {
  method: string;
  /** Path after the matched prefix, without a leading slash, not decoded. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  bodyText: string;
}

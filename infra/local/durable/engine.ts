// TEMPORARY compile stub, replaced by the durable-engine branch. Not committed.
import type { RegisteredFunction } from '../functionsCore';
import type { HostHttpRequest, HostHttpResponse, HostServices } from '../services';
export class DurableEngine {
  constructor(_s: HostServices, _f: RegisteredFunction[], _o: { hubName: string }) {}
  async start() {}
  clientPayload(): Record<string, unknown> { return {}; }
  async handleManagement(_r: HostHttpRequest): Promise<HostHttpResponse> { return { status: 501 }; }
  async stop() {}
}

import type { CatalogueEdition } from '../domain/catalogue/serviceCatalogue';
import type { EventClaims, IncidentStore, RejectionStore } from '../domain/incidents/incidentStore';

import type { DueIndex } from '../domain/lifecycle/dueIndex';
import type { WorkOrderStore } from '../domain/workOrder/workOrderStore';

/**
 * What the use cases and triggers work with: the ports the domain defines, the catalogue edition in force and the
 * clock. Built once at start-up by the composition root (infra/compositionRoot.ts); a test passes fakes.
 */
export interface Services {
  workOrders: WorkOrderStore;
  incidents: IncidentStore;
  /** Product-wide claims on ticket eventIds (one eventId, one effect). */
  eventClaims: EventClaims;
  rejections: RejectionStore;
  dueIndex: DueIndex;
  /** The catalogue with the configured RR / AEM Sev A targets (rules.md 5.1 configurable defaults). */
  catalogue: CatalogueEdition;
  clock: { now(): Date };
  /**
   * Whether the `x-ms-client-principal` header can be trusted: in Azure only when App Service Authentication is
   * enabled on the app (otherwise every HTTP request is refused, 401: the app fails closed).
   */
  principalHeaderTrusted: boolean;
}

/** The durable lifecycles as use cases drive them (adapter: orchestrations/durableLifecycles.ts). */
export interface Lifecycles {
  start(orchestration: string, instanceId: string, input: unknown): Promise<void>;
  signal(instanceId: string, event: string, data: unknown): Promise<void>;
  /** The runtime status, or undefined when there is no such instance. */
  status(instanceId: string): Promise<string | undefined>;
}

/** A message for the `lifecycle-notifications` queue (consumers de-duplicate on `notificationId`). */
export type Notification = { notificationId: string; kind: string; at: string } & Record<string, unknown>;

/** Where a use case reports what it could not do but need not fail for (a lifecycle it could not tell). */
export type Warn = (message: string, error: unknown) => void;

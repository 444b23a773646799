import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { consume, release } from '../domain/workOrder/entitlements';
import {
  acceptServiceRequest,
  decideCancellation,
  decideFeeWaiver,
  transitionServiceRequest,
  type serviceRequestInputSchema,
} from '../domain/workOrder/requests';
import type { ServiceRequestRecord, WorkOrderChange } from '../domain/workOrder/workOrderStore';
import type { WorkOrderView } from '../domain/workOrder/workOrderView';
import { decideOnWorkOrder, type Guard } from './changeWorkOrder';
import { NotFound } from './errors';
import type { Services } from './services';

/** REQ-60, EXP-1, and ENT-1 (reserves the entitlement) when funded by one. */
export async function createServiceRequest(
  services: Services,
  workOrderId: string,
  input: z.output<typeof serviceRequestInputSchema>,
  guard: Guard,
) {
  const now = services.clock.now();
  const id = randomUUID();
  return decideOnWorkOrder(
    services,
    workOrderId,
    (current) => {
      const accepted = acceptServiceRequest(current, input, now, services.catalogue); // rules REQ-60, EXP-1, ENT-1
      const record = {
        ...accepted.request,
        id,
        workOrderId: current.id,
        requestedAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      return {
        workOrder: { ...current, entitlements: accepted.entitlements },
        change: {
          requests: [record],
          timeline: [
            {
              at: now.toISOString(),
              kind: 'serviceRequested',
              rule: input.fundedBy === 'entitlement' ? 'ENT-1' : 'REQ-60',
              detail: `${input.serviceCode} requested for ${input.startDate} (${input.days} day(s), funded by ${input.fundedBy}); request ${id}.`,
            },
          ],
        },
        result: { id, status: record.status },
      };
    },
    guard,
  );
}

/** requested → scheduled (SCHED-1). */
export async function scheduleServiceRequest(services: Services, requestId: string, guard: Guard) {
  const at = services.clock.now().toISOString();
  return changeServiceRequest(services, requestId, guard, (current, workOrder) => {
    const status = transitionServiceRequest(current.status, 'schedule'); // rule SCHED-1
    return {
      request: { ...current, status, updatedAt: at },
      workOrder,
      change: {
        timeline: [
          {
            at,
            kind: 'serviceScheduled',
            rule: 'SCHED-1',
            detail: `${current.serviceCode} request ${current.id} scheduled for ${current.startDate}.`,
          },
        ],
      },
      result: { id: current.id, status },
    };
  });
}

/** CANCEL-14 maximum fee; the reserved entitlement goes back (ENT-1). `at`: when it was cancelled (default now). */
export async function cancelServiceRequest(
  services: Services,
  requestId: string,
  input: { at?: string },
  guard: Guard,
) {
  const at = input.at ? new Date(input.at) : services.clock.now();
  return changeServiceRequest(
    services,
    requestId,
    guard,
    (current, workOrder) => {
      const decision = decideCancellation(current, at, workOrder.host.timeZone, services.catalogue); // rule CANCEL-14
      return {
        request: {
          ...current,
          status: 'cancelled',
          maxCancellationFee: decision.maxCancellationFee,
          updatedAt: at.toISOString(),
        },
        workOrder: {
          ...workOrder,
          entitlements: release(workOrder.entitlements, current.serviceCode, current.quantity), // rule ENT-1
        },
        change: {
          timeline: [
            {
              at: at.toISOString(),
              kind: 'serviceCancelled',
              rule: 'CANCEL-14',
              detail: `${current.serviceCode} request ${current.id} cancelled ${decision.daysBeforeStart} day(s) before its start; maximum fee ${decision.maxCancellationFee}.`,
            },
          ],
        },
        result: {
          id: current.id,
          status: decision.status,
          maxCancellationFee: decision.maxCancellationFee,
          feeWaived: false,
        },
      };
    },
    { inForce: false }, // a cancellation only releases what the request held
  );
}

/** scheduled → delivered, consuming the reserved entitlement (ENT-1). */
export async function deliverServiceRequest(services: Services, requestId: string, guard: Guard) {
  const at = services.clock.now().toISOString();
  return changeServiceRequest(services, requestId, guard, (current, workOrder) => {
    const status = transitionServiceRequest(current.status, 'deliver'); // rule SCHED-1
    return {
      request: { ...current, status, updatedAt: at },
      workOrder: {
        ...workOrder,
        entitlements: consume(workOrder.entitlements, current.serviceCode, current.quantity), // rule ENT-1
      },
      change: {
        timeline: [
          {
            at,
            kind: 'serviceDelivered',
            rule: 'ENT-1',
            detail: `${current.serviceCode} request ${current.id} delivered${current.quantity > 0 ? `; ${current.quantity} consumed` : ''}.`,
          },
        ],
      },
      result: { id: current.id, status },
    };
  });
}

/** The provider waives a CANCEL-14 fee; recorded on the request and the timeline (a second waiver changes nothing). */
export async function waiveCancellationFee(
  services: Services,
  requestId: string,
  input: { reason: string },
  guard: Guard,
) {
  const at = services.clock.now().toISOString();
  return changeServiceRequest(
    services,
    requestId,
    guard,
    (current, workOrder) => {
      const waiver = decideFeeWaiver(current, input.reason); // rule CANCEL-14
      const result = {
        id: current.id,
        status: current.status,
        maxCancellationFee: current.maxCancellationFee ?? 0,
        ...waiver,
      };
      if (current.feeWaived)
        return {
          request: current,
          workOrder,
          result: { ...result, waiverReason: current.waiverReason ?? waiver.waiverReason },
        };
      return {
        request: { ...current, ...waiver, updatedAt: at },
        workOrder,
        change: {
          timeline: [
            {
              at,
              kind: 'cancellationFeeWaived',
              rule: 'CANCEL-14',
              detail: `Cancellation fee of ${current.maxCancellationFee} for ${current.serviceCode} request ${current.id} waived: ${input.reason}`,
            },
          ],
        },
        result,
      };
    },
    { inForce: false }, // a waiver only forgoes a charge
  );
}

/**
 * Changes one service request together with its Work Order (entitlement balances) in one transaction. The request
 * is read afresh on every attempt, so two racing transitions cannot both apply.
 */
async function changeServiceRequest<T>(
  services: Services,
  requestId: string,
  guard: Guard,
  decide: (
    current: ServiceRequestRecord,
    workOrder: WorkOrderView,
  ) => { request: ServiceRequestRecord; workOrder: WorkOrderView; change?: WorkOrderChange; result: T },
  options: { inForce?: boolean } = {},
): Promise<T> {
  const store = services.workOrders;
  const found = await store.findServiceRequest(requestId);
  if (!found) throw new NotFound(`Service request ${requestId}`);
  const { result } = await decideOnWorkOrder(
    services,
    found.workOrderId,
    async (workOrder) => {
      const current = await store.findServiceRequest(requestId);
      if (!current) throw new NotFound(`Service request ${requestId}`);
      const next = decide(current, workOrder);
      return { workOrder: next.workOrder, change: { ...next.change, requests: [next.request] }, result: next.result };
    },
    { ...guard, ...options },
  );
  return result;
}

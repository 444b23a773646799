import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { consume, release } from '../domain/workOrder/entitlements';
import {
  acceptServiceRequest,
  assertWorkshopMayBeCancelledForEnrolment,
  decideCancellation,
  rescheduleServiceRequest as decideReschedule,
  decideFeeWaiver,
  transitionServiceRequest,
  type serviceRequestInputSchema,
} from '../domain/workOrder/requests';
import type { LedgerEntry, ServiceRequestRecord, WorkOrderChange } from '../domain/workOrder/workOrderStore';
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
    async (current) => {
      const openFlex =
        input.fundedBy === 'flex'
          ? (await services.workOrders.serviceRequests(current.id)).filter(
              (r) => r.fundedBy === 'flex' && r.status !== 'cancelled',
            )
          : [];
      // rules REQ-60, EXP-1, PRO-2, PRO-3, MN-2, ENT-1, CRED-1, CRED-2, FLEX-3
      const accepted = acceptServiceRequest(current, input, now, services.catalogue, openFlex);
      const held = accepted.request.creditsHeld;
      const record = {
        ...accepted.request,
        id,
        workOrderId: current.id,
        requestedAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      return {
        workOrder: { ...current, entitlements: accepted.entitlements, creditBalances: accepted.creditBalances },
        change: {
          requests: [record],
          ledger: held
            ? [
                {
                  at: now.toISOString(),
                  kind: 'hold' as const,
                  country: held.country,
                  credits: held.credits,
                  balanceAfter: accepted.creditBalances[held.country] ?? 0,
                  serviceCode: input.serviceCode,
                },
              ]
            : [],
          timeline: [
            {
              at: now.toISOString(),
              kind: 'serviceRequested',
              rule:
                input.fundedBy === 'entitlement'
                  ? 'ENT-1'
                  : held
                    ? 'CRED-1'
                    : accepted.request.flexYear
                      ? 'FLEX-3'
                      : 'REQ-60',
              detail: `${input.serviceCode} requested for ${input.startDate} (${input.days} day(s), ${accepted.request.delivery} at ${accepted.request.location}, funded by ${input.fundedBy}${held ? `: ${held.credits} ${held.country} credits held` : ''}${accepted.request.flexYear ? ` from flex year ${accepted.request.flexYear}` : ''}); request ${id}.`,
            },
          ],
        },
        result: {
          id,
          status: record.status,
          delivery: record.delivery,
          location: record.location,
          ...(held ? { creditsHeld: held } : {}),
          ...(record.flexYear ? { flexYear: record.flexYear } : {}),
          explanation: accepted.explanation,
        },
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
  input: { at?: string; reason?: 'minimumEnrolment'; enrolled?: number; minimumEnrolment?: number },
  guard: Guard,
) {
  const at = input.at ? new Date(input.at) : services.clock.now();
  const forEnrolment = input.reason === 'minimumEnrolment';
  return changeServiceRequest(
    services,
    requestId,
    guard,
    (current, workOrder) => {
      if (forEnrolment)
        assertWorkshopMayBeCancelledForEnrolment(
          current,
          input.enrolled !== undefined && input.minimumEnrolment !== undefined
            ? { enrolled: input.enrolled, minimumEnrolment: input.minimumEnrolment }
            : undefined,
        ); // rule PRO-4
      const decided = decideCancellation(current, at, workOrder.host.timeZone, services.catalogue); // rule CANCEL-14
      const decision = forEnrolment ? { ...decided, maxCancellationFee: 0 } : decided; // rule PRO-4: no fee
      const held = current.creditsHeld;
      const creditBalances = held
        ? { ...workOrder.creditBalances, [held.country]: (workOrder.creditBalances[held.country] ?? 0) + held.credits }
        : workOrder.creditBalances; // rule CRED-1: held credits given back
      const ledger: LedgerEntry[] = held
        ? [
            {
              at: at.toISOString(),
              kind: 'release',
              country: held.country,
              credits: held.credits,
              balanceAfter: creditBalances[held.country] ?? 0,
              serviceCode: current.serviceCode,
            },
          ]
        : [];
      return {
        request: {
          ...current,
          status: 'cancelled',
          maxCancellationFee: decision.maxCancellationFee,
          updatedAt: at.toISOString(),
          ...(forEnrolment ? { cancellationReason: 'minimumEnrolment' as const } : {}),
        },
        workOrder: {
          ...workOrder,
          entitlements: release(workOrder.entitlements, current.serviceCode, current.quantity), // rule ENT-1
          creditBalances,
        },
        change: {
          ledger,
          timeline: [
            {
              at: at.toISOString(),
              kind: 'serviceCancelled',
              rule: forEnrolment ? 'PRO-4' : 'CANCEL-14',
              detail: `${current.serviceCode} request ${current.id} cancelled ${decision.daysBeforeStart} day(s) before its start${forEnrolment ? ' by the provider: minimum enrolment not reached' : ''}; maximum fee ${decision.maxCancellationFee}${held ? `; ${held.credits} ${held.country} credits given back` : ''}${current.flexYear ? `; flex year ${current.flexYear} allocation given back` : ''}.`,
            },
          ],
        },
        result: {
          id: current.id,
          status: decision.status,
          maxCancellationFee: decision.maxCancellationFee,
          feeWaived: false,
          ...(forEnrolment ? { cancellationReason: 'minimumEnrolment' } : {}),
          ...(held ? { creditsReleased: held } : {}),
          explanation: decision.explanation,
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
        // rule CRED-1: held credits are deducted at delivery (they left the balance when held)
        ledger: current.creditsHeld
          ? [
              {
                at,
                kind: 'redemption' as const,
                country: current.creditsHeld.country,
                credits: current.creditsHeld.credits,
                balanceAfter: workOrder.creditBalances[current.creditsHeld.country] ?? 0,
                serviceCode: current.serviceCode,
              },
            ]
          : [],
        timeline: [
          {
            at,
            kind: 'serviceDelivered',
            rule: current.creditsHeld ? 'CRED-1' : current.flexYear ? 'FLEX-3' : 'ENT-1',
            detail: `${current.serviceCode} request ${current.id} delivered${current.quantity > 0 ? `; ${current.quantity} consumed` : ''}${current.creditsHeld ? `; ${current.creditsHeld.credits} ${current.creditsHeld.country} credits deducted` : ''}${current.flexYear ? `; ${current.price} settled from flex year ${current.flexYear}` : ''}.`,
          },
        ],
      },
      result: { id: current.id, status },
    };
  });
}

/**
 * CANCEL-14: moves the first delivery day; for a scheduled request fewer than 14 days before its current first day
 * it is priced as a cancellation (EXP-1: the new dates within the term).
 */
export async function rescheduleServiceRequest(
  services: Services,
  requestId: string,
  input: { startDate: string },
  guard: Guard,
) {
  const now = services.clock.now();
  const at = now.toISOString();
  return changeServiceRequest(services, requestId, guard, (current, workOrder) => {
    const moved = decideReschedule(current, input.startDate, now, workOrder, services.catalogue); // rules CANCEL-14, EXP-1
    const entry = { at, from: current.startDate, to: moved.startDate, maxCancellationFee: moved.maxCancellationFee };
    return {
      request: {
        ...current,
        startDate: moved.startDate,
        updatedAt: at,
        reschedules: [...(current.reschedules ?? []), entry],
      },
      workOrder,
      change: {
        timeline: [
          {
            at,
            kind: 'serviceRescheduled',
            rule: 'CANCEL-14',
            detail: `${current.serviceCode} request ${current.id} moved from ${current.startDate} to ${moved.startDate}, ${moved.daysBeforeStart} day(s) before its first day; maximum fee ${moved.maxCancellationFee}.`,
          },
        ],
      },
      result: {
        id: current.id,
        status: current.status,
        startDate: moved.startDate,
        maxCancellationFee: moved.maxCancellationFee,
      },
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

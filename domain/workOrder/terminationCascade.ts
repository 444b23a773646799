import { aemPhaseDates } from '../aem/aemBooking';
import type { AemBookingRecord } from '../aem/aemRecord';
import { DEFAULT_CATALOGUE, type CatalogueEdition, type ServiceCode } from '../catalogue/serviceCatalogue';
import { hoursPerDay } from '../cyber/cyberEngagement';
import type { CyberEngagementRecord } from '../cyber/cyberRecord';
import { release, type EntitlementBalance } from './entitlements';
import type { ServiceRequestRecord, TimelineEntry } from './workOrderStore';

/** What a termination does to a lifecycle: end it, or tell it its remaining steps changed. */
export type LifecycleInstruction = 'cancelled' | 'rescheduled';

export interface TerminationCascade {
  entitlements: EntitlementBalance[];
  requests: ServiceRequestRecord[];
  aem: Array<{ record: AemBookingRecord; lifecycle: LifecycleInstruction }>;
  cyber: Array<{ record: CyberEngagementRecord; lifecycle: LifecycleInstruction }>;
  timeline: TimelineEntry[];
}

// Stryker disable next-line ArrowFunction: static (defined at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144)
const openRequest = (r: ServiceRequestRecord) => r.status === 'requested' || r.status === 'scheduled';
// Stryker disable next-line ArrowFunction: static (defined at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144)
const liveBooking = (b: AemBookingRecord) => b.phase !== 'cancelled' && b.phase !== 'closed';
// Stryker disable next-line ArrowFunction: static (defined at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144)
const runningEngagement = (e: CyberEngagementRecord) => e.status !== 'lapsed' && e.status !== 'cancelled';

/**
 * Everything that ends with a termination whose last day is `at` (rules.md section 9; DEP-1, EXP-1, ENT-1): open
 * service requests starting after `at` are cancelled without fee; AEM events starting after `at` are cancelled (a
 * booking with none left is cancelled, an event whose window starts by `at` runs to its end); cybersecurity days
 * after `at` are cancelled (an engagement with none left is cancelled) and every engagement's deliverables lapse with
 * the agreement on `at` at the latest. What was reserved for them is given back; each step is on the timeline.
 */
export function terminationCascade(
  input: {
    at: string;
    now: string;
    entitlements: readonly EntitlementBalance[];
    requests: readonly ServiceRequestRecord[];
    aemBookings: readonly AemBookingRecord[];
    cyberEngagements: readonly CyberEngagementRecord[];
  },
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): TerminationCascade {
  const { at, now } = input;
  let entitlements = [...input.entitlements];
  const giveBack = (code: ServiceCode, quantity: number) => {
    // Stryker disable next-line ConditionalExpression: a positive quantity was reserved from that entitlement, so it is held (release of 0 changes nothing)
    if (entitlements.some((b) => b.serviceCode === code)) entitlements = release(entitlements, code, quantity); // rule ENT-1
  };
  const timeline: TimelineEntry[] = [];

  const requests = input.requests
    .filter((r) => openRequest(r) && r.startDate > at)
    .map((r): ServiceRequestRecord => {
      giveBack(r.serviceCode, r.quantity);
      timeline.push({
        at: now,
        kind: 'serviceCancelled',
        rule: 'EXP-1',
        // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: timeline wording, not a rule
        detail: `${r.serviceCode} request ${r.id} (from ${r.startDate}) cancelled by the termination; ${r.quantity} ${r.quantity === 1 ? 'unit' : 'units'} given back, no fee.`,
      });
      return { ...r, status: 'cancelled', maxCancellationFee: 0, updatedAt: now };
    });

  const aem = input.aemBookings.filter(liveBooking).flatMap((booking): TerminationCascade['aem'] => {
    const kept = booking.events.filter((e) => e.start <= at);
    const dropped = booking.events.filter((e) => e.start > at);
    if (dropped.length === 0) return [];
    giveBack('AEM', dropped.length);
    const cancelledEvents = [...(booking.cancelledEvents ?? []), ...dropped.map(({ start, end }) => ({ start, end }))];
    if (kept.length === 0) {
      timeline.push({
        at: now,
        kind: 'aemEventCancelled',
        rule: 'EXP-1',
        // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: timeline wording, not a rule
        detail: `AEM event ${booking.solutionName} (${booking.id}) cancelled by the termination; ${dropped.length} event(s) given back.`,
      });
      return [
        {
          record: { ...booking, phase: 'cancelled', cancelledAt: now, cancelledEvents },
          lifecycle: 'cancelled',
        },
      ];
    }
    const phases = aemPhaseDates({ events: kept, confirmedAt: booking.confirmedAt }, booking.timeZone, catalogue);
    timeline.push({
      at: now,
      kind: 'aemEventShortened',
      rule: 'EXP-1',
      // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: timeline wording, not a rule
      detail: `AEM event ${booking.solutionName} (${booking.id}): ${dropped.length} event(s) after ${at} cancelled and given back; the window now ends ${phases.live.to}.`,
    });
    return [{ record: { ...booking, events: kept, phases, cancelledEvents }, lifecycle: 'rescheduled' }];
  });

  const cyber = input.cyberEngagements.filter(runningEngagement).flatMap((engagement): TerminationCascade['cyber'] => {
    const kept = engagement.schedule.filter((d) => d.date <= at);
    const dropped = engagement.schedule.filter((d) => d.date > at);
    const lapses = engagement.obligationLapsesOn > at;
    // Stryker disable next-line ConditionalExpression: a day after `at` means the lapse (after the last day) is after it too
    if (dropped.length === 0 && !lapses) return [];
    giveBack(engagement.offering, dropped.length);
    const cancelledDates = [...(engagement.cancelledDates ?? []), ...dropped.map((d) => d.date)];
    if (kept.length === 0) {
      timeline.push({
        at: now,
        kind: 'cyberEngagementCancelled',
        rule: 'DEP-1',
        // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: timeline wording, not a rule
        detail: `${engagement.offering} engagement ${engagement.id} cancelled by the termination; ${dropped.length} day(s) given back.`,
      });
      return [{ record: { ...engagement, status: 'cancelled', cancelledDates }, lifecycle: 'cancelled' }];
    }
    // The first day of the 1-day Remote holds 32 hours; every other day (and each CYB-3 block day) 8.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the first day is dropped only when none is kept (the cancelled path, which counts no hours)
    const hoursOf = (index: number) => (index === 0 ? hoursPerDay(engagement.offering, catalogue) : 8);
    const droppedHours = dropped.reduce((sum, d) => sum + hoursOf(engagement.schedule.indexOf(d)), 0);
    const record: CyberEngagementRecord = {
      ...engagement,
      schedule: kept,
      days: kept.length,
      hours: engagement.hours - droppedHours,
      cancelledDates,
      // DEP-1: cybersecurity services end with the agreement, and the deliverables obligation with them.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the due date equals the lapse date, which is after `at` here, or both are `at`
      deliverablesDueBy: engagement.deliverablesDueBy > at ? at : engagement.deliverablesDueBy,
      obligationLapsesOn: lapses ? at : engagement.obligationLapsesOn,
    };
    timeline.push({
      at: now,
      kind: 'cyberEngagementCut',
      rule: 'DEP-1',
      // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: timeline wording, not a rule
      detail: `${engagement.offering} engagement ${engagement.id} ends with the agreement: ${dropped.length} day(s) after ${at} cancelled and given back; deliverables lapse on ${record.obligationLapsesOn}.`,
    });
    return [{ record, lifecycle: 'rescheduled' }];
  });

  return { entitlements, requests, aem, cyber, timeline };
}

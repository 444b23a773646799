import { z } from 'zod';
import { idSchema } from '../input';
import { DEFAULT_CATALOGUE, serviceCodeSchema, type CatalogueEdition } from '../catalogue/serviceCatalogue';
import { RuleViolation } from '../ruleViolation';
import { drawDownHours, findEntitlement, replaceEntitlement, type EntitlementBalance } from './entitlements';
import type { Term } from './workOrderSchema';

/** Body of POST /api/work-orders/{id}/hours (EDE-1, REDE-1, ADV-1, ENT-1). */
export const hoursInputSchema = z
  .object(
    // Stryker disable next-line ObjectLiteral: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); a hand-made `{}` fails 3 tests in test/unit/hoursAndDutiesRules.test.ts
    {
      serviceCode: serviceCodeSchema,
      date: z.iso.date(),
      // Stryker disable next-line all: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); tested in test/unit/hoursAndDutiesRules.test.ts
      hours: z.number().positive().max(100_000),
      incidentId: idSchema.optional(),
      caseId: idSchema.optional(),
    },
  )
  .strict()
  .superRefine((h, ctx) => {
    // rule ADV-1: advisory hours are counted per case
    if (h.serviceCode === 'ADVISORY_SUPPORT' && !h.caseId)
      ctx.addIssue({ code: 'custom', message: 'ADVISORY_SUPPORT hours name their caseId', path: ['caseId'] });
  });
export type HoursInput = z.output<typeof hoursInputSchema>;

/** Hours used, as listed on the Work Order. */
export interface HoursUsage extends HoursInput {
  readonly id: string;
  readonly workOrderId: string;
  readonly recordedAt: string;
  /** The balance left afterwards in the service's unit (none for advisory hours). */
  readonly remainingAfter: number | null;
}

/**
 * Hours used against a Work Order: EDE and REDE hours (and other hour or day blocks) are deducted when used
 * (EDE-1, REDE-1; more than is left → ENT-1), on a day within the term while the service runs (EXP-1). Advisory
 * Support draws on no balance but one case takes at most 6 hours (ADV-1); `caseHours` is what the case used so far.
 */
export function useHours(
  workOrder: { term: Term; entitlements: readonly EntitlementBalance[] },
  input: HoursInput,
  caseHours: number,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): { entitlements: EntitlementBalance[]; remainingAfter: number | null } {
  if (input.date < workOrder.term.start || input.date > workOrder.term.end)
    throw new RuleViolation(
      'EXP-1',
      `Hours are used within the term (${workOrder.term.start} to ${workOrder.term.end}).`,
      'date',
    );
  if (input.serviceCode === 'ADVISORY_SUPPORT') {
    const max = catalogue.advisoryMaxHoursPerCase;
    // rule ADV-1: at most 6 hours per advisory case
    if (caseHours + input.hours > max)
      throw new RuleViolation(
        'ADV-1',
        `Advisory Support is limited to ${max} hours per case; case ${input.caseId} has used ${caseHours}.`,
        'hours',
      );
    return { entitlements: [...workOrder.entitlements], remainingAfter: null };
  }
  const balance = findEntitlement(workOrder.entitlements, input.serviceCode); // rule ENT-1
  if (input.date > balance.endsOn)
    throw new RuleViolation(balance.endedBy ?? 'EXP-1', `${input.serviceCode} ended on ${balance.endsOn}.`, 'date');
  const after = drawDownHours(balance, input.hours, catalogue); // rule EDE-1, REDE-1, ENT-1
  return { entitlements: replaceEntitlement(workOrder.entitlements, after), remainingAfter: after.remaining };
}

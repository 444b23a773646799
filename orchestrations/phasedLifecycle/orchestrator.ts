import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import type { PhasedStep } from '../../domain/lifecycle/phasedSteps';
import { AEM_EVENT_LIFECYCLE, CYBER_ENGAGEMENT_LIFECYCLE, LIFECYCLE_CHANGED, type PhasedLifecycleInput } from './names';

export type LifecycleChange =
  { kind: 'cancelled'; at: string; reason?: string } | { kind: 'rescheduled'; steps: PhasedStep[] };

/**
 * A resource that moves through dated phases: each step waits for its instant, then runs its activity, unless
 * the lifecycle is cancelled or rescheduled first. Used for AEM events (assessment, live window, post-event
 * summary; AEM-5..8) and cybersecurity engagements (delivery days, close, lapse; CYB-3..5).
 */
export const phasedLifecycleOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<PhasedLifecycleInput>();
  const change: Task = context.df.waitForExternalEvent(LIFECYCLE_CHANGED);
  let done: { phase: string; since: string } | Record<string, never> = {};
  for (let i = input.next; i < input.steps.length; i++) {
    const step = input.steps[i] as PhasedStep;
    context.df.setCustomStatus({ ...done, nextDue: step.at, next: step.phase }); // the next due time, for portals
    const timer = context.df.createTimer(new Date(step.at));
    const winner: Task = yield context.df.Task.any([timer, change]);
    if (winner === change) {
      timer.cancel();
      const requested = change.result as LifecycleChange;
      if (requested.kind === 'cancelled') {
        yield context.df.callActivity(input.cancelActivity, {
          resourceId: input.resourceId,
          workOrderId: input.workOrderId,
          at: requested.at,
          reason: requested.reason ?? null,
          remaining: input.steps.slice(i),
        });
        return { outcome: 'cancelled', phase: 'cancelled' };
      }
      context.df.continueAsNew({ ...input, steps: requested.steps, next: 0 });
      return undefined;
    }
    const outcome = (yield context.df.callActivity(step.activity, {
      resourceId: input.resourceId,
      workOrderId: input.workOrderId,
      phase: step.phase,
      at: step.at,
      input: step.input ?? null,
    })) as { repeatAt?: string | null } | undefined;
    done = { phase: step.phase, since: step.at };
    context.df.setCustomStatus({ ...done, nextDue: input.steps[i + 1]?.at ?? null });
    if (outcome?.repeatAt) {
      // The step asks to be run again later (AEM-7 follows unresolved cases); a new execution keeps history bounded.
      const again: PhasedStep = { ...step, at: outcome.repeatAt, input: { ...(step.input ?? {}), followUp: true } };
      context.df.continueAsNew({ ...input, steps: [again, ...input.steps.slice(i + 1)], next: 0 });
      return undefined;
    }
  }
  return { outcome: 'completed', phase: input.steps.at(-1)?.phase ?? null };
};

df.app.orchestration(AEM_EVENT_LIFECYCLE, phasedLifecycleOrchestrator);
df.app.orchestration(CYBER_ENGAGEMENT_LIFECYCLE, phasedLifecycleOrchestrator);

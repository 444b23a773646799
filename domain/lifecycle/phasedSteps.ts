/** One dated step of a resource's lifecycle (see orchestrations/phasedLifecycle). */
export interface PhasedStep {
  /** When the step falls due (UTC ISO instant). */
  at: string;
  /** The activity that carries it out; activities are idempotent per (resource, step). */
  activity: string;
  phase: string;
  input?: unknown;
}

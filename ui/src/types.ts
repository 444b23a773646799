export interface Explanation {
  text: string;
  rules: string[];
  candidates?: Array<{ plan: string; targetMinutes: number; clock: string; dueAt: string; chosen: boolean }>;
  skipped?: Array<{ from: string; to: string; why: string; name?: string }>;
  history?: Array<{ at: string; cause: string; eventId?: string; dueAt: string; rule: string }>;
}

export interface Deadline {
  at: string;
  kind: string;
  resource: string;
  resourceType: 'workOrder' | 'incident' | 'aemEvent' | 'cyberEngagement';
  lifecycleId: string;
  state: string;
  rule: string;
  label: string;
  explanation: Explanation;
}

export interface WorkOrder {
  id: string;
  number: string;
  customerId: string;
  status: string;
  term: { start: string; end: string };
  host: { country: string; timeZone: string };
  downstream: Array<{ country: string }>;
  creditBalances: Record<string, number>;
  entitlements: Array<{
    serviceCode: string;
    unit: string;
    purchased: number | null;
    reserved: number;
    consumed: number;
    remaining: number | null;
  }>;
  flexPeriods: Array<{ year: number; start: string; end: string; allocated: number; forfeited: number }>;
}

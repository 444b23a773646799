/**
 * Domain benchmark: first-response due times for random incidents over 2027 in Amsterdam (Dutch public
 * holidays), computed by the domain (`firstResponseDue`, whole-day jumps with cached openings) and by a
 * straightforward minute-stepping reference that shares nothing with it but the holiday set.
 *
 *   node dist/bench/domainBench.js            prints JSON
 */
import { DateTime } from 'luxon';
import { supportLocationCalendar, type BusinessCalendar } from '../domain/calendar/businessCalendar';
import { publicHolidays } from '../domain/calendar/holidays';
import type { PlanCode, Severity } from '../domain/catalogue/responseTargets';
import { firstResponseDue } from '../domain/sla/firstResponse';

const ZONE = 'Europe/Amsterdam';
const COUNTRY = 'NL';
const MINUTE = 60_000;

export interface BenchIncident {
  readonly severity: Severity;
  readonly azure: boolean;
  readonly channel: 'phone' | 'azurePortal';
  readonly plans: PlanCode[];
  readonly openedAtMs: number;
}

/** mulberry32: a small seeded PRNG, so every run sees the same incidents. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random incidents opened on whole minutes during 2027. */
export function randomIncidents(count: number, seed = 2027): BenchIncident[] {
  const random = seededRandom(seed);
  const from = Date.UTC(2027, 0, 1);
  const minutes = (Date.UTC(2028, 0, 1) - from) / MINUTE;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, () => {
    const plans: PlanCode[] = ['BASE'];
    if (random() < 0.4) plans.push('UER');
    if (random() < 0.4) plans.push('RAPID_RESPONSE');
    return {
      severity: pick(['1', 'A', 'B', 'C'] as const),
      azure: random() < 0.6,
      channel: pick(['phone', 'azurePortal'] as const),
      plans,
      openedAtMs: from + Math.floor(random() * minutes) * MINUTE,
    };
  });
}

// ---- reference: the rulebook read literally, one minute at a time -------------------------------

/** Target minutes straight from rules.md 5.1 (no exclusions occur in the bench's products). */
function referenceTargetMinutes(i: BenchIncident): number {
  const options: number[] = [];
  const base = { '1': i.azure ? 15 : 60, A: 60, B: 120, C: 240 }[i.severity];
  options.push(base);
  if (i.plans.includes('UER')) options.push({ '1': i.azure ? 15 : 30, A: 30, B: base, C: base }[i.severity]);
  if (i.plans.includes('RAPID_RESPONSE') && i.azure && i.channel === 'azurePortal')
    options.push({ '1': 15, A: 30, B: base, C: base }[i.severity]);
  return Math.min(...options);
}

function referenceMinuteIsOpen(ms: number): boolean {
  const local = DateTime.fromMillis(ms, { zone: ZONE });
  if (local.weekday >= 6) return false;
  if (publicHolidays(COUNTRY, local.year).has(local.toISODate() ?? '')) return false;
  const minuteOfDay = local.hour * 60 + local.minute;
  return minuteOfDay >= 9 * 60 && minuteOfDay < 17 * 60 + 30;
}

/** Due time by stepping minute by minute: 24x7 counts every minute, business hours only open minutes. */
export function referenceDueAtMs(i: BenchIncident): number {
  let remaining = referenceTargetMinutes(i);
  const continuous = i.severity === '1' || i.severity === 'A';
  let t = i.openedAtMs;
  while (remaining > 0) {
    if (continuous || referenceMinuteIsOpen(t)) remaining -= 1;
    t += MINUTE;
  }
  return t;
}

// ---- fast: the domain ---------------------------------------------------------------------------

export function fastDueAtMs(i: BenchIncident, calendar: BusinessCalendar): number {
  return firstResponseDue(
    {
      severity: i.severity,
      product: i.azure
        ? { family: 'Azure', service: 'Azure SQL Database' }
        : { family: 'Microsoft 365', service: 'Exchange Online' },
      channel: i.channel,
      description: '',
      location: COUNTRY,
      openedAt: new Date(i.openedAtMs).toISOString(),
    },
    { plans: i.plans, aemWindows: [] },
    calendar,
  ).dueAtMs;
}

export function benchCalendar(): BusinessCalendar {
  return supportLocationCalendar({ country: COUNTRY, timeZone: ZONE });
}

function perSecond(run: () => number, minMs: number): { perSec: number; results: number } {
  const started = performance.now();
  let done = 0;
  let elapsed: number;
  do {
    done += run();
    elapsed = performance.now() - started;
  } while (elapsed < minMs);
  return { perSec: (done / elapsed) * 1000, results: done };
}

export async function runDomainBench(opts: { incidents?: number } = {}): Promise<{
  fastPerSec: number;
  referencePerSec: number;
  ratio: number;
  agreement: number;
  samples: number;
}> {
  const incidents = randomIncidents(opts.incidents ?? 2_000);
  const calendar = benchCalendar();
  publicHolidays(COUNTRY, 2027);
  publicHolidays(COUNTRY, 2028);

  // the reference is slow: one timed pass doubles as the agreement pass
  const referenceStarted = performance.now();
  const reference = incidents.map(referenceDueAtMs);
  const referencePerSec = (incidents.length / (performance.now() - referenceStarted)) * 1000;
  const fast = incidents.map((i) => fastDueAtMs(i, calendar));
  const agreeing = fast.filter((due, k) => due === reference[k]).length;

  const fastRun = perSecond(() => {
    for (const i of incidents) fastDueAtMs(i, calendar);
    return incidents.length;
  }, 500);
  return {
    fastPerSec: Math.round(fastRun.perSec),
    referencePerSec: Math.round(referencePerSec),
    ratio: Math.round(fastRun.perSec / referencePerSec),
    agreement: agreeing / incidents.length,
    samples: incidents.length,
  };
}

if (require.main === module) {
  const arg = process.argv.find((a) => a.startsWith('--incidents='));
  runDomainBench(arg ? { incidents: Number(arg.slice('--incidents='.length)) } : {})
    .then((result) => console.log(JSON.stringify(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}

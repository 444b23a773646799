import { describe, expect, it } from 'vitest';
import { benchCalendar, fastDueAtMs, randomIncidents, referenceDueAtMs, runDomainBench } from '../../bench/domainBench';

describe('benchmark reference', () => {
  it('INC-5 / HOURS-1 / RESP-PICK: the minute-stepping reference agrees with the domain on 200 random incidents', () => {
    const calendar = benchCalendar();
    const incidents = randomIncidents(200, 7);
    const mismatches = incidents.filter((i) => fastDueAtMs(i, calendar) !== referenceDueAtMs(i));
    expect(mismatches).toEqual([]);
  });

  it('runDomainBench reports agreement and a ratio', async () => {
    const result = await runDomainBench({ incidents: 50 });
    expect(result.samples).toBe(50);
    expect(result.agreement).toBe(1);
    expect(result.ratio).toBeGreaterThan(1);
  }, 20_000);
});

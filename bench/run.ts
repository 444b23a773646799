import { runDomainBench } from './domainBench';
import { benchContractYear } from './contractYear';
import { benchDurableOrchestrations } from './durableOrchestrations';
import { measureHostStartup } from './hostStartup';
import { benchIncidentEvents } from './incidentEvents';
import { benchOperatorPage } from './operatorPage';
import { benchSweepScaling } from './sweepScaling';
import { benchWorkOrderReads } from './workOrderReads';
import { benchHttpFuzz } from './httpFuzz';
import { benchDuplicateDeliveries } from './duplicateDeliveries';
import { benchReliability } from './reliability';

/**
 * `npm run bench`: every benchmark, each reported next to a baseline measured in the same run.
 * Numbers are printed as JSON lines so a closing note can quote them; nothing here asserts timings.
 */
async function main(): Promise<void> {
  const only = process.argv[2];
  const benches: Record<string, () => Promise<unknown>> = {
    domainDueTimes: () => runDomainBench(),
    hostStartup: () => measureHostStartup({ app: 'test/fixtures/basicApp/index.js' }),
    durableOrchestrations: () => benchDurableOrchestrations(100),
    workOrderReads: () => benchWorkOrderReads(5),
    incidentEvents: () => benchIncidentEvents(Number(process.argv[3] ?? 100)),
    sweepScaling: () => benchSweepScaling(),
    contractYear: () => benchContractYear(Number(process.argv[3] ?? 1000)),
    operatorPage: () => benchOperatorPage(1000),
    httpFuzz: () => benchHttpFuzz(Number(process.argv[3] ?? 20_000)),
    duplicateDeliveries: () => benchDuplicateDeliveries(Number(process.argv[3] ?? 10_000)),
    reliability: () => benchReliability(Number(process.argv[3] ?? 100)),
  };
  for (const [name, run] of Object.entries(benches)) {
    if (only && only !== name) continue;
    const result = await run();
    console.log(JSON.stringify({ bench: name, ...(result as object) }));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

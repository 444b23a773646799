import { supportLocationCalendar } from '../../domain/calendar/businessCalendar';
import type { IncidentContext } from '../../domain/incidents/incident';

/** The support location most incident tests use: the Netherlands' business calendar. */
export const nlCalendar = supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' });
/** An incident covered by the Base plan only, and by Base with Unified Enhanced Response, in the NL calendar. */
export const baseContext: IncidentContext = { coverage: { plans: ['BASE'] }, calendar: nlCalendar };
export const uerContext: IncidentContext = { coverage: { plans: ['BASE', 'UER'] }, calendar: nlCalendar };

/** An IncidentOpened ticket message body (Sev B, Azure SQL Database, by phone, NL), with `open-{incidentId}` as its id. */
export const incidentOpenedBody = (workOrderId: string, incidentId: string, at: string) => ({
  eventId: `open-${incidentId}`,
  type: 'IncidentOpened',
  occurredAt: at,
  incidentId,
  workOrderId,
  severity: 'B',
  product: { family: 'Azure', service: 'Azure SQL Database' },
  channel: 'phone',
  description: 'x',
  location: 'NL',
});

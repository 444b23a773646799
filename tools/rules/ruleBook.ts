/** How a rule is kept (rules.md section 9). */
export type Kept = 'enforced' | 'scheduled' | 'recorded';

export interface RuleReading {
  /** The ways the product keeps it; the first is the main one. */
  readonly kept: readonly Kept[];
  /** One line for this project: what a caller sees. */
  readonly summary: string;
}

/**
 * The project's reading of every rule of rules.md: how it is kept and what it does here. `npm run rules` fails when
 * rules.md names an ID that is missing here (or the other way round), or when section 9 says another way of keeping it.
 */
export const RULE_BOOK: Readonly<Record<string, RuleReading>> = {
  'BUY-1': {
    kept: ['enforced'],
    summary: 'Base (✓) services are part of every Work Order; the catalogue marks them and they cannot be added again.',
  },
  'BUY-2': {
    kept: ['enforced'],
    summary:
      '`+` services are added during the term with POST /work-orders/{id}/entitlements (Provider.Csam); a ✓ service → 422.',
  },
  'BUY-3': {
    kept: ['enforced'],
    summary: 'Enhanced services and solutions are added during the term the same way, with the creation checks.',
  },
  'BUY-4': {
    kept: ['recorded'],
    summary: 'The Work Order lists its support locations (Host and Downstream), each with its time zone.',
  },
  'BUY-5': {
    kept: ['enforced'],
    summary: 'A service not offered in the Host country is refused (422), at creation and when added.',
  },
  'FLEX-1': {
    kept: ['enforced'],
    summary:
      'The Base package carries an annual Flex Allowance, allocated per year to credits, custom proactive or services.',
  },
  'FLEX-2': {
    kept: ['enforced'],
    summary: 'Credits plus Custom Proactive take at most max(20 % of the allocation, USD 50,000) a year: more → 422.',
  },
  'FLEX-3': {
    kept: ['enforced', 'scheduled'],
    summary:
      'Flex is spent within its year: a flex-funded request draws on its year’s allocation (more → 422); what is unused lapses at the year’s end.',
  },
  'FLEX-4': { kept: ['enforced'], summary: 'Flex Allowance can never go to SDM services (422).' },
  'FLEX-5': {
    kept: ['enforced'],
    summary: 'Flex-bought hours can be swapped for another service type only with the delivery resource’s consent.',
  },
  'FLEX-6': {
    kept: ['recorded'],
    summary: 'Flex Allowance not allocated at signing is recorded as forfeited on the flex period.',
  },
  'PRO-1': {
    kept: ['enforced'],
    summary: 'The proactive catalogue (categories, ✓ and +) is data; only its service codes are accepted.',
  },
  'PRO-2': {
    kept: ['recorded'],
    summary:
      'A service request is delivered `remote` unless it says `onsite` and that it was agreed (`onsiteAgreed`), else 422.',
  },
  'PRO-3': {
    kept: ['recorded'],
    summary: 'On-demand Assessment help is recorded as remote (up to 1 day) or on-site (up to 2 days, agreed).',
  },
  'PRO-4': {
    kept: ['enforced'],
    summary: 'The provider cancels a scheduled workshop for lack of enrolment: no fee, quantity given back.',
  },
  'CRED-1': {
    kept: ['enforced'],
    summary:
      'Credit values round to the nearest whole credit, a half up (12.5 → 13), in redemptions and credit-funded requests.',
  },
  'CRED-2': { kept: ['enforced'], summary: 'A redemption or credit hold the balance cannot cover is refused (422).' },
  'EXP-1': {
    kept: ['enforced', 'scheduled'],
    summary: 'Everything is used within the term: after it, new use → 409 and what is left expires at the term’s end.',
  },
  'REQ-60': {
    kept: ['enforced', 'scheduled'],
    summary: 'Proactive and enhanced requests close 60 days before the term end (422), with reminders before.',
  },
  'CANCEL-14': {
    kept: ['enforced'],
    summary:
      'Cancelling or rescheduling a scheduled request fewer than 14 days before its start may cost its full price.',
  },
  'SWAP-1': {
    kept: ['enforced'],
    summary: 'An ordered service type is exchanged hour for hour only after the delivery resource consents.',
  },
  'SCHED-1': {
    kept: ['enforced'],
    summary: 'A service request moves requested → scheduled → delivered (or cancelled); anything else → 409.',
  },
  'SDM-REQ': {
    kept: ['recorded'],
    summary: 'Adding a `+` service without SDM_ADDON answers 201 with a warning citing SDM-REQ.',
  },
  'ENT-1': {
    kept: ['enforced'],
    summary: 'Bookings and hours draw on what was bought; too little left → 422; cancelled bookings give it back.',
  },
  'INC-1': {
    kept: ['enforced'],
    summary: 'Incidents arrive from ticketing systems with their channel (phone, web, email, azurePortal).',
  },
  'INC-2': {
    kept: ['enforced'],
    summary: 'Severities 1, A, B, C; a severity change during the incident is accepted and recomputes the target.',
  },
  'INC-3': { kept: ['enforced'], summary: 'Only a non-automated first response stops the first-response clock.' },
  'INC-4': {
    kept: ['enforced'],
    summary: 'An unresponsive customer may have a 24x7 severity lowered (CustomerUnresponsive event).',
  },
  'INC-5': { kept: ['enforced'], summary: 'Severity 1 and A run 24x7; B and C run in business hours.' },
  'HOURS-1': {
    kept: ['enforced'],
    summary: 'Business hours 09:00–17:30 local time per support location, without weekends and public holidays.',
  },
  'ADV-1': {
    kept: ['enforced'],
    summary: 'Advisory Support hours booked against one case add up to at most 6 (more → 422).',
  },
  'RSM-1': {
    kept: ['enforced'],
    summary: 'Severity 1 and A incidents start the extended escalation process automatically.',
  },
  'RCA-1': { kept: ['enforced'], summary: 'An RCA is requested before closure; after closure → 409.' },
  'RCA-2': {
    kept: ['enforced'],
    summary: 'The RCA answer says whether extra cost may apply; technologies without RCA are catalogue data.',
  },
  'RESP-BASE': {
    kept: ['enforced'],
    summary: 'Base plan first-response targets: Sev 1 Azure 15 / other 60, A 60, B 120, C 240 minutes.',
  },
  'RESP-UER': { kept: ['enforced'], summary: 'UER targets: Sev 1 Azure 15 / other 30, A 30 minutes.' },
  'RESP-RR': {
    kept: ['enforced'],
    summary: 'Rapid Response targets for covered Azure incidents: Sev 1 15, A 30 minutes.',
  },
  'RESP-AEM': {
    kept: ['enforced'],
    summary: 'During an AEM window, incidents about the event get Sev 1 15 and A 30 minutes.',
  },
  'RESP-X1': {
    kept: ['enforced'],
    summary: 'Base: StorSimple, GitHub AE, Communication Services and Billing get the “other” Sev 1 target.',
  },
  'RESP-X2': {
    kept: ['enforced'],
    summary: 'UER: the listed Azure services (US Gov, StorSimple, …) get the “other” Sev 1 target.',
  },
  'RESP-X3': {
    kept: ['enforced'],
    summary: 'Rapid Response does not cover the listed services, and applies only to portal-opened incidents.',
  },
  'RESP-PICK': { kept: ['enforced'], summary: 'Of several plans covering an incident, the fastest target wins.' },
  'RESP-SEVCHG': {
    kept: ['enforced'],
    summary: 'A severity change recomputes the target from the open time; a met target stays met.',
  },
  'RESP-LATE': {
    kept: ['enforced'],
    summary: 'Late and out-of-order ticket events take effect by occurredAt; the incident ends the same in any order.',
  },
  'EDE-1': {
    kept: ['enforced'],
    summary: 'EDE hours are drawn down as used (POST /work-orders/{id}/hours; more than is left → 422).',
  },
  'REDE-1': {
    kept: ['enforced', 'scheduled'],
    summary: 'REDE hours are drawn down as used; the engineer is notified to join each Sev 1/A incident once.',
  },
  'DEP-1': {
    kept: ['enforced', 'scheduled'],
    summary: 'EDE, REDE, Mission Critical and Cybersecurity need the agreement and end with it.',
  },
  'DEP-2': {
    kept: ['enforced', 'scheduled'],
    summary: 'Azure Engineering Direct needs Rapid Response and ends the day Rapid Response ends.',
  },
  'UER-1': { kept: ['enforced'], summary: 'Sev 1/A incidents under UER get a Senior Incident Manager automatically.' },
  'UER-2': { kept: ['enforced'], summary: 'Every Sev 1 incident under UER requires a post-incident review.' },
  'UER-3': {
    kept: ['enforced'],
    summary: 'Under UER an RCA can still be requested before closure; the answer says whether it may cost extra.',
  },
  'UER-4': {
    kept: ['scheduled'],
    summary: 'UER gets an onboarding duty due on day 60 of the term, reminded at day 45, overdue after.',
  },
  'UER-5': {
    kept: ['scheduled'],
    summary: 'UER gets a quarterly review duty per quarter of the term, reminded 14 days before, overdue after.',
  },
  'RR-1': {
    kept: ['enforced'],
    summary: 'Azure incidents opened through the cloud portal go to Rapid Response when the Work Order has it.',
  },
  'GHED-1': { kept: ['scheduled'], summary: 'GitHub Engineering Direct gets quarterly review duties like UER-5.' },
  'DEVS-1': {
    kept: ['enforced'],
    summary: 'Developer Support is bought up to 10 per Work Order (configurable); more → 422.',
  },
  'AEM-1': { kept: ['enforced'], summary: 'An AEM booking covers one named Azure solution.' },
  'AEM-2': {
    kept: ['enforced'],
    summary: 'One event covers up to 5 days; longer windows take back-to-back events, each from the entitlement.',
  },
  'AEM-3': {
    kept: ['enforced'],
    summary: 'Fewer than 42 days’ notice → 422 unless the provider accepts; then a limited assessment.',
  },
  'AEM-4': { kept: ['enforced'], summary: 'Only Azure Public Cloud solutions can be booked (422 otherwise).' },
  'AEM-5': { kept: ['scheduled'], summary: 'The AEM lifecycle starts the pre-event assessment before the window.' },
  'AEM-6': {
    kept: ['enforced', 'scheduled'],
    summary: 'During the window, incidents with “AEM” in their description get the AEM targets.',
  },
  'AEM-7': {
    kept: ['scheduled'],
    summary: 'After the window, a summary of the cases opened in it is recorded on the event.',
  },
  'AEM-8': {
    kept: ['enforced'],
    summary: 'The provider can cancel an event when the customer cannot provide resources.',
  },
  'CYB-1': {
    kept: ['enforced'],
    summary: 'The cybersecurity offerings are catalogue codes; only those are booked as engagements.',
  },
  'CYB-2': {
    kept: ['enforced'],
    summary: 'Engagements last at least 5 days (Workshop 3, 1-day Remote one day of 32 hours): shorter → 422.',
  },
  'CYB-3': { kept: ['enforced'], summary: 'Extra days come in blocks of 5 days of 8 hours from the purchased days.' },
  'CYB-4': {
    kept: ['enforced'],
    summary: 'Engagement days are 08:00–17:00 in the agreed zone, skipping weekends and public holidays.',
  },
  'CYB-5': {
    kept: ['scheduled', 'enforced'],
    summary:
      'Deliverables are due, and the obligation lapses, 10 days after the last day, or when the customer declines them.',
  },
  'CYB-6': {
    kept: ['recorded'],
    summary: 'The customer’s tooling, admin accounts and backup acknowledgement are recorded on the engagement.',
  },
  'MN-1': {
    kept: ['recorded'],
    summary: 'The Host is where the Base package is contracted; other locations are Downstream.',
  },
  'MN-2': {
    kept: ['recorded'],
    summary: 'Base services are delivered at the Work Order’s locations; reactive services remotely to any of them.',
  },
  'MN-3': { kept: ['recorded'], summary: 'SDM is scheduled in the Host’s business hours.' },
  'MN-4': {
    kept: ['enforced'],
    summary: 'Credits are exchanged only between the Work Order’s locations, the result rounded up exactly.',
  },
  'MN-5': {
    kept: ['enforced'],
    summary: 'Exception countries cannot be Downstream locations or exchange credits (422).',
  },
  'MN-6': { kept: ['enforced'], summary: 'Support Technology Advisor is refused in exception countries (422).' },
  'MN-7': {
    kept: ['recorded'],
    summary: 'The Work Order shows which locations share the consolidated invoice (all but exception countries).',
  },
  'MN-8': { kept: ['recorded'], summary: 'The SSM is named for the Host location, and per location where needed.' },
  'CUST-SSM': {
    kept: ['recorded'],
    summary: 'The named SSM is on the Work Order; changes go through PUT /work-orders/{id}/contacts and the timeline.',
  },
  'CUST-CONTACT': {
    kept: ['recorded'],
    summary: 'Reactive support contacts and cloud administrators are named on the Work Order.',
  },
  'CUST-BACKUP': {
    kept: ['recorded'],
    summary: 'The customer’s backup acknowledgement is recorded on a cybersecurity engagement (CYB-6).',
  },
};

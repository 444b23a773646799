/**
 * The domain core: the whole rulebook of rules.md as pure functions. No I/O; time is always an argument.
 */
export * from './ruleViolation';
export * from './catalogue/countries';
export * from './catalogue/responseTargets';
export * from './catalogue/serviceCatalogue';
export * from './catalogue/proactiveTerms';
export * from './calendar/holidays';
export * from './calendar/businessCalendar';
export * from './sla/firstResponse';
export * from './sla/incidentDuties';
export * from './workOrder/workOrderSchema';
export * from './workOrder/workOrderView';
export * from './workOrder/flex';
export * from './workOrder/exactDecimal';
export * from './workOrder/credits';
export * from './workOrder/requests';
export * from './workOrder/entitlements';
export * from './workOrder/termination';
export * from './workOrder/contacts';
export * from './workOrder/duties';
export * from './workOrder/hours';
export * from './aem/aemBooking';
export * from './cyber/cyberEngagement';

/**
 * The app's one clock port. Activities and handlers read time here, never from Date directly, so a host
 * that runs the app on virtual time (the local host) can lend its clock through the well-known slot.
 * In Azure nothing fills the slot and this is the system clock.
 */
export interface Clock {
  now(): Date;
}

const HOST_CLOCK_SLOT = Symbol.for('azure-functions-local-host.clock');

export const systemClock: Clock = { now: () => new Date() };

export const clock: Clock = {
  now(): Date {
    const lent = (globalThis as Record<symbol, Clock | undefined>)[HOST_CLOCK_SLOT];
    return lent ? lent.now() : systemClock.now();
  },
};

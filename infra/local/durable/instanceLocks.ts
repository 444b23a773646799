/** Serialises the work on one instance (episodes, client operations) within this host. */
export class InstanceLocks {
  private readonly locks = new Map<string, Promise<void>>();

  async with<T>(instanceId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(instanceId) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const chained = previous.then(() => current);
    this.locks.set(instanceId, chained);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(instanceId) === chained) this.locks.delete(instanceId);
    }
  }
}

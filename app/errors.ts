/** Something the caller named does not exist (or is another customer's: the same answer). */
export class NotFound extends Error {
  override readonly name = 'NotFound';
  constructor(readonly what: string) {
    super(`${what} does not exist.`);
  }
}

/** The caller's version (If-Match) is no longer current. */
export class StaleVersion extends Error {
  override readonly name = 'StaleVersion';
  constructor() {
    super('The resource changed since you read it (If-Match does not match its ETag).');
  }
}

/** Nothing to set up globally: each test file starts the Azurite and host it needs, so files run in parallel. */
export default function setup(): void {}

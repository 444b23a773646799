// `npm start`: one Node process (npm's shell execs it), so Ctrl-C and SIGTERM reach the host itself, which stops
// Azurite with SIGINT. Builds first when a source changed, then runs the compiled host in this same process.
import './buildIfNeeded.mjs';

await import(new URL('../../dist/infra/local/main.js', import.meta.url).href);

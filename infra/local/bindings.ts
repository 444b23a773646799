import type { RegisteredFunction, RpcTypedData } from './functionsCore';

/** Supplies the value of an extra input binding (for example `durableClient`) for one invocation. */
export type InputBindingProvider = () => RpcTypedData;

/**
 * Builds inputData entries for a function's extra input bindings. A binding type the host cannot
 * supply fails loudly at start-up rather than handing the function an undefined input.
 */
export class InputBindings {
  private readonly providers = new Map<string, InputBindingProvider>();

  register(types: string[], provider: InputBindingProvider): void {
    for (const type of types) this.providers.set(type.toLowerCase(), provider);
  }

  unsupported(fn: RegisteredFunction): string[] {
    return this.extraInputs(fn)
      .filter(([, binding]) => !this.providers.has(binding.type.toLowerCase()))
      .map(([, binding]) => binding.type);
  }

  inputDataFor(fn: RegisteredFunction): Array<{ name: string; data: RpcTypedData }> {
    const entries: Array<{ name: string; data: RpcTypedData }> = [];
    for (const [name, binding] of this.extraInputs(fn)) {
      const provider = this.providers.get(binding.type.toLowerCase());
      if (provider) entries.push({ name, data: provider() });
    }
    return entries;
  }

  private extraInputs(fn: RegisteredFunction) {
    return Object.entries(fn.metadata.bindings).filter(
      ([name, binding]) => name !== fn.triggerKey && binding.direction === 'in' && !/trigger$/i.test(binding.type),
    );
  }
}

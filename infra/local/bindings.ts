import type { BindingInfo, InvocationResponse, RegisteredFunction, RpcTypedData } from './functionsCore';
import { fromTypedData } from './invoke';

/** Supplies the value of an extra input binding (for example `durableClient`, a blob) for one invocation. */
export type InputBindingProvider = (
  binding: BindingInfo,
  bindingData: Record<string, unknown>,
) => RpcTypedData | undefined | Promise<RpcTypedData | undefined>;

/** Writes the value a function set on an output binding (a blob, a storage queue) as part of its invocation. */
export type OutputBindingWriter = (
  binding: BindingInfo,
  value: unknown,
  bindingData: Record<string, unknown>,
) => Promise<void>;

/**
 * The binding extensions of the local host: extra input bindings supplied before an invocation, and the output
 * bindings written as part of it (a write that fails, fails the invocation, as in Azure). A binding type the host
 * cannot supply is reported at start-up rather than handing the function an undefined input.
 */
export class InputBindings {
  private readonly providers = new Map<string, InputBindingProvider>();
  private readonly writers = new Map<string, OutputBindingWriter>();
  private readonly extraInputsOf = new WeakMap<RegisteredFunction, Array<[string, BindingInfo]>>();

  register(types: string[], provider: InputBindingProvider): void {
    for (const type of types) this.providers.set(type.toLowerCase(), provider);
  }

  registerOutput(types: string[], writer: OutputBindingWriter): void {
    for (const type of types) this.writers.set(type.toLowerCase(), writer);
  }

  /** Output binding types written during the invocation (the host's dispatchOutputs leaves them alone). */
  writesOutput(type: string): boolean {
    return this.writers.has(type.toLowerCase());
  }

  unsupported(fn: RegisteredFunction): string[] {
    return this.extraInputs(fn)
      .filter(([, binding]) => !this.providers.has(binding.type.toLowerCase()))
      .map(([, binding]) => binding.type);
  }

  /** Values for the function's extra inputs that the caller did not supply itself. */
  async inputDataFor(
    fn: RegisteredFunction,
    bindingData: Record<string, unknown> = {},
    supplied: ReadonlySet<string> = new Set(),
  ): Promise<Array<{ name: string; data: RpcTypedData }>> {
    const entries: Array<{ name: string; data: RpcTypedData }> = [];
    for (const [name, binding] of this.extraInputs(fn)) {
      if (supplied.has(name)) continue;
      const provider = this.providers.get(binding.type.toLowerCase());
      if (!provider) continue;
      const data = await provider(binding, bindingData);
      if (data) entries.push({ name, data });
    }
    return entries;
  }

  /** Writes the outputs of a successful invocation whose binding types have a writer here. */
  async writeOutputs(
    fn: RegisteredFunction,
    response: InvocationResponse,
    bindingData: Record<string, unknown>,
  ): Promise<void> {
    const outputs = [...(response.outputData ?? [])];
    if (response.returnValue !== undefined) outputs.push({ name: '$return', data: response.returnValue });
    for (const { name, data } of outputs) {
      const binding = fn.metadata.bindings[name];
      const writer = binding && this.writers.get(binding.type.toLowerCase());
      if (!binding || !writer) continue;
      const value = fromTypedData(data);
      if (value === undefined || value === null) continue;
      await writer(binding, value, bindingData);
    }
  }

  /** Whether the function has input bindings besides its trigger (most have none: nothing to supply then). */
  hasExtraInputs(fn: RegisteredFunction): boolean {
    return this.extraInputs(fn).length > 0;
  }

  private extraInputs(fn: RegisteredFunction): Array<[string, BindingInfo]> {
    let inputs = this.extraInputsOf.get(fn);
    if (!inputs) {
      inputs = Object.entries(fn.metadata.bindings).filter(
        ([name, binding]) => name !== fn.triggerKey && binding.direction === 'in' && !/trigger$/i.test(binding.type),
      );
      this.extraInputsOf.set(fn, inputs);
    }
    return inputs;
  }
}

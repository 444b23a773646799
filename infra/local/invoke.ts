import { randomBytes, randomUUID } from 'node:crypto';
import type { InputBindings } from './bindings';
import type { FunctionsCore, InvocationResponse, RegisteredFunction, RpcTypedData } from './functionsCore';
import type { HostLogger } from './logger';
import { bindingDataOf, usesBindingData } from './storagebindings/bindingData';

export interface InvocationRequest {
  inputData: Array<{ name: string; data: RpcTypedData }>;
  triggerMetadata?: Record<string, RpcTypedData>;
  retryContext?: { retryCount: number; maxRetryCount: number; exception?: { message?: string; stackTrace?: string } };
  invocationId?: string;
}

export type InvocationOutcome =
  | { ok: true; invocationId: string; response: InvocationResponse }
  | { ok: false; invocationId: string; error: unknown };

/**
 * Runs one invocation the way the Node worker's InvocationHandler does: the programming model builds
 * the arguments, pre-invocation hooks may swap inputs or callback, the handler runs, post-invocation hooks
 * may rewrite result or error, and the model converts the result to the response (return value and outputs).
 * Extra input bindings the caller did not supply are read first, and the outputs the binding extensions write
 * (blobs, storage queues) are written before the invocation counts as done, so a failed write fails it.
 */
export class Invoker {
  private readonly needsBindingData = new WeakMap<RegisteredFunction, boolean>();

  constructor(
    private readonly core: FunctionsCore,
    private readonly logger: HostLogger,
    private readonly timeoutMs: number,
    private readonly bindings?: InputBindings,
  ) {}

  async invoke(fn: RegisteredFunction, request: InvocationRequest): Promise<InvocationOutcome> {
    const invocationId = request.invocationId ?? randomUUID();
    const model = this.core.programmingModel;
    if (!model)
      return {
        ok: false,
        invocationId,
        error: new Error('The app set no programming model (is @azure/functions loaded?).'),
      };
    const coreCtx = {
      invocationId,
      request: {
        invocationId,
        functionId: fn.name,
        inputData: request.inputData,
        triggerMetadata: request.triggerMetadata ?? {},
        retryContext: request.retryContext,
        traceContext: {
          traceParent: traceParent(),
          traceState: '',
          attributes: {},
        },
      },
      metadata: fn.metadata,
      state: 'preInvocationHooks' as string,
      log: (level: string, category: string, message: string) => this.log(fn, invocationId, level, category, message),
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      const bindingData = this.bindingData(fn, request);
      if (this.bindings?.hasExtraInputs(fn)) {
        const supplied = new Set(request.inputData.map((entry) => entry.name));
        coreCtx.request.inputData = [
          ...request.inputData,
          ...(await this.bindings.inputDataFor(fn, bindingData, supplied)),
        ];
      }
      const invocationModel = model.getInvocationModel(coreCtx);
      const { context, inputs } = await invocationModel.getArguments();
      const hookData: Record<string, unknown> = {};
      const pre = {
        hookData,
        appHookData: this.core.appHookData,
        invocationContext: context,
        functionCallback: fn.callback,
        inputs,
      };
      for (const hook of this.core.hooks.preInvocation) await hook(pre);
      coreCtx.state = 'invocation';
      let result: unknown;
      let error: unknown;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`Timeout value of ${this.timeoutMs} ms exceeded by function '${fn.name}'.`)),
            this.timeoutMs,
          );
          timer.unref();
        });
        result = await Promise.race([
          invocationModel.invokeFunction(context, pre.inputs, pre.functionCallback),
          timeout,
        ]);
      } catch (caught) {
        error = caught ?? new Error('The function failed without an error value.');
      } finally {
        if (timer) clearTimeout(timer);
      }
      coreCtx.state = 'postInvocationHooks';
      const post = {
        hookData,
        appHookData: this.core.appHookData,
        invocationContext: context,
        inputs: pre.inputs,
        result,
        error,
      };
      for (const hook of this.core.hooks.postInvocation) await hook(post);
      if (post.error !== null && post.error !== undefined) return { ok: false, invocationId, error: post.error };
      const response = await invocationModel.getResponse(context, post.result);
      await this.bindings?.writeOutputs(fn, response, bindingData);
      return { ok: true, invocationId, response };
    } catch (error) {
      return { ok: false, invocationId, error };
    }
  }

  /** Trigger data for binding expressions, collected only for functions whose bindings use it. */
  private bindingData(fn: RegisteredFunction, request: InvocationRequest): Record<string, unknown> {
    let needed = this.needsBindingData.get(fn);
    if (needed === undefined) {
      needed = usesBindingData(fn.metadata.bindings, fn.triggerKey);
      this.needsBindingData.set(fn, needed);
    }
    if (!needed) return {};
    const trigger = request.inputData.find((entry) => entry.name === fn.triggerKey)?.data;
    return bindingDataOf(trigger, request.triggerMetadata);
  }

  private log(fn: RegisteredFunction, invocationId: string, level: string, category: string, message: string): void {
    const hookContext = {
      level,
      message,
      category,
      invocationContext: undefined,
      hookData: {},
      appHookData: this.core.appHookData,
    };
    for (const hook of this.core.hooks.log) {
      try {
        hook(hookContext);
      } catch {
        // The worker swallows log-hook failures.
      }
    }
    const effective = category === 'user' ? hookContext : { level, message };
    this.logger.functionLog(fn.name, invocationId, String(effective.level), String(effective.message));
  }
}

/** Random bytes for trace ids, drawn in blocks: one randomBytes call per invocation showed in profiles (3 %). */
const TRACE_BLOCK = 24 * 256;
let traceBytes = Buffer.alloc(0);
let traceOffset = TRACE_BLOCK;

/** A W3C traceparent: 16 random bytes of trace id, 8 of parent id, sampled. */
export function traceParent(): string {
  if (traceOffset >= TRACE_BLOCK) {
    traceBytes = randomBytes(TRACE_BLOCK);
    traceOffset = 0;
  }
  const hex = traceBytes.toString('hex', traceOffset, traceOffset + 24);
  traceOffset += 24;
  return `00-${hex.slice(0, 32)}-${hex.slice(32)}-01`;
}

/** Decodes a typed-data value the host receives back (return values, output bindings). */
export function fromTypedData(data: RpcTypedData | undefined | null): unknown {
  if (data === undefined || data === null) return undefined;
  if (data.json !== undefined) return JSON.parse(data.json);
  if (data.string !== undefined) return data.string;
  if (data.bytes !== undefined) return Buffer.from(data.bytes);
  if (data.int !== undefined) return Number(data.int);
  if (data.double !== undefined) return Number(data.double);
  if (data.collectionString) return data.collectionString.string;
  return undefined;
}

/** Encodes a JS value as the extension would hand it to the worker. */
export function toJsonTypedData(value: unknown): RpcTypedData {
  return { json: JSON.stringify(value ?? null) };
}

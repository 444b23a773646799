import Module from 'node:module';

/** What the app registered, as the real worker receives it from `registerFunction`. */
export interface BindingInfo {
  type: string;
  direction?: 'in' | 'out' | 'inout';
  name?: string;
  [key: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, BindingInfo>;
  retryOptions?: Record<string, unknown>;
  [key: string]: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

export interface RegisteredFunction {
  name: string;
  metadata: FunctionMetadata;
  callback: FunctionCallback;
  /** The binding key and info of the trigger (the binding whose type ends in "trigger"). */
  triggerKey: string;
  trigger: BindingInfo;
}

export type HookName = 'preInvocation' | 'postInvocation' | 'appStart' | 'appTerminate' | 'log';
export type HookCallback = (context: Record<string, unknown>) => unknown;

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: unknown): InvocationModel;
  getCapabilities?(capabilities: Record<string, string>): Promise<Record<string, string>> | Record<string, string>;
}

export interface InvocationModel {
  getArguments(): Promise<{
    context: { invocationId: string; functionName: string } & Record<string, unknown>;
    inputs: unknown[];
  }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<InvocationResponse>;
}

export interface RpcTypedData {
  string?: string;
  json?: string;
  bytes?: Uint8Array;
  int?: number;
  double?: number;
  http?: unknown;
  collectionString?: { string: string[] };
  [key: string]: unknown;
}

export interface InvocationResponse {
  invocationId: string;
  outputData?: Array<{ name: string; data: RpcTypedData }>;
  returnValue?: RpcTypedData;
}

export type SystemLog = (level: string, category: string, message: string) => void;

class Disposable {
  constructor(private readonly callOnDispose: () => void) {}
  dispose(): void {
    this.callOnDispose();
  }
}

/**
 * The `@azure/functions-core` module as the Node worker provides it (worker `src/setupCoreModule.ts`):
 * the app's `@azure/functions` registers through it. Registration is allowed only while the app loads.
 */
export class FunctionsCore {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks: Record<HookName, HookCallback[]> = {
    preInvocation: [],
    postInvocation: [],
    appStart: [],
    appTerminate: [],
    log: [],
  };
  readonly appHookData: Record<string, unknown> = {};
  readonly appLevelOnlyHookData: Record<string, unknown> = {};
  programmingModel: ProgrammingModel | undefined;
  private locked = false;

  constructor(
    private readonly systemLog: SystemLog,
    readonly hostVersion = '4.1040.0',
  ) {}

  /** The object `require('@azure/functions-core')` returns. */
  api(): Record<string, unknown> {
    return {
      version: '3.13.0',
      hostVersion: this.hostVersion,
      Disposable,
      registerFunction: (metadata: FunctionMetadata, callback: FunctionCallback) =>
        this.registerFunction(metadata, callback),
      registerHook: (name: string, callback: HookCallback) => this.registerHook(name, callback),
      setProgrammingModel: (model: ProgrammingModel) => {
        this.programmingModel = model;
      },
      getProgrammingModel: () => this.programmingModel,
      log: (level: string, category: string, message: string) => this.systemLog(level, category, message),
    };
  }

  /** Installs the module exactly as the worker does: a Proxy around `Module.prototype.require`. */
  install(): void {
    const api = this.api();
    const proto = Module.prototype as unknown as { require: (id: string) => unknown };
    proto.require = new Proxy(proto.require, {
      apply(target, thisArg, args: [string]) {
        if (args[0] === '@azure/functions-core') return api;
        return Reflect.apply(target, thisArg, args);
      },
    });
  }

  lock(): void {
    this.locked = true;
  }

  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.locked) throw new Error('A function can only be registered during app startup.');
    if (this.functions.has(metadata.name))
      throw new Error(`A function with name "${metadata.name}" has already been registered.`);
    const triggerEntry = Object.entries(metadata.bindings).find(([, binding]) => /trigger$/i.test(binding.type));
    if (!triggerEntry) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
    const [triggerKey, trigger] = triggerEntry;
    this.functions.set(metadata.name, { name: metadata.name, metadata, callback, triggerKey, trigger });
    return new Disposable(() => {
      if (this.locked) throw new Error('A function can only be disposed during app startup.');
      this.functions.delete(metadata.name);
    });
  }

  registerHook(name: string, callback: HookCallback): Disposable {
    if (!(name in this.hooks)) {
      const error = new RangeError(`Unrecognized hook "${name}"`) as RangeError & {
        isAzureFunctionsSystemError?: boolean;
      };
      error.isAzureFunctionsSystemError = true;
      throw error;
    }
    const list = this.hooks[name as HookName];
    list.push(callback);
    return new Disposable(() => {
      const index = list.indexOf(callback);
      if (index >= 0) list.splice(index, 1);
    });
  }
}

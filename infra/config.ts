import { z } from 'zod';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const locationHoursSchema = z.record(
  z.string().regex(/^[A-Z]{2}$/),
  z
    .object({ opensAt: clockTime, closesAt: clockTime })
    .strict()
    .refine((h) => h.opensAt < h.closesAt, 'opensAt must be before closesAt'),
);

/**
 * The app's configuration, parsed once from the environment (the only place that reads process.env).
 * Storage is either a connection string (Azurite locally) or an account URL reached with DefaultAzureCredential
 * (managed identity in Azure) — chosen by configuration, never by code edits.
 */
const environmentSchema = z
  .object({
    AzureWebJobsStorage: z.string().min(1).optional(),
    AzureWebJobsStorage__accountName: z.string().min(1).optional(),
    AzureWebJobsStorage__tableServiceUri: z.url().optional(),
    TABLE_NAME_PREFIX: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{0,30}$/, 'letters and digits, starting with a letter')
      .default('Usl'),
    RAPID_RESPONSE_SEV_A_MINUTES: z.coerce.number().int().positive().optional(),
    AEM_SEV_A_MINUTES: z.coerce.number().int().positive().optional(),
    /** HOURS-1: per-country opening hours, JSON such as {"DE":{"opensAt":"08:30","closesAt":"17:00"}}. */
    LOCATION_HOURS: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (!text) return {};
        try {
          return locationHoursSchema.parse(JSON.parse(text));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'expected {"<country>":{"opensAt":"HH:mm","closesAt":"HH:mm"}}' });
          return z.NEVER;
        }
      }),
    WEBSITE_INSTANCE_ID: z.string().optional(),
    WEBSITE_AUTH_ENABLED: z.string().optional(),
  })
  .refine(
    (env) =>
      env.AzureWebJobsStorage || env.AzureWebJobsStorage__accountName || env.AzureWebJobsStorage__tableServiceUri,
    {
      message:
        'Set AzureWebJobsStorage (connection string) or AzureWebJobsStorage__accountName / __tableServiceUri (managed identity).',
    },
  );

export type StorageConnection =
  { kind: 'connectionString'; connectionString: string } | { kind: 'identity'; tableServiceUri: string };

export interface AppConfig {
  storage: StorageConnection;
  tableNamePrefix: string;
  sevATargetOverrides: { RAPID_RESPONSE?: number; AEM?: number };
  /** HOURS-1: opening hours per country that differ from 09:00–17:30. */
  locationHours: Record<string, { opensAt: string; closesAt: string }>;
  /**
   * Whether `x-ms-client-principal` can be trusted: outside Azure (no WEBSITE_INSTANCE_ID) it can, in Azure only
   * when App Service Authentication is enabled on the app (only then does the platform strip a client's own header).
   */
  principalHeaderTrusted: boolean;
}

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigurationError(
      `Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`).join('; ')}`,
    );
  }
  const e = parsed.data;
  const storage: StorageConnection =
    e.AzureWebJobsStorage && e.AzureWebJobsStorage.includes('=')
      ? { kind: 'connectionString', connectionString: e.AzureWebJobsStorage }
      : {
          kind: 'identity',
          tableServiceUri:
            e.AzureWebJobsStorage__tableServiceUri ??
            `https://${e.AzureWebJobsStorage__accountName}.table.core.windows.net`,
        };
  return {
    storage,
    tableNamePrefix: e.TABLE_NAME_PREFIX,
    sevATargetOverrides: { RAPID_RESPONSE: e.RAPID_RESPONSE_SEV_A_MINUTES, AEM: e.AEM_SEV_A_MINUTES },
    locationHours: e.LOCATION_HOURS,
    principalHeaderTrusted: !e.WEBSITE_INSTANCE_ID || e.WEBSITE_AUTH_ENABLED?.toLowerCase() === 'true',
  };
}

let loaded: AppConfig | undefined;

/** The configuration of this process, parsed on first use (so importing a module has no side effects). */
export function config(): AppConfig {
  loaded ??= parseConfig(process.env);
  return loaded;
}

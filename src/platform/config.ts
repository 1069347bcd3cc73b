import path from 'node:path';

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminPassword: string | undefined;
  demo: boolean;
  secret: string | undefined;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  bodyLimitBytes: number;
  logLevel: string;
  workers: boolean;
  /** The address people reach the app at (QR codes, links); its origin is also accepted by the CSRF guard. */
  publicBaseUrl: string | undefined;
};

/** Reads the process environment into a typed configuration (README documents each variable). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.AGRI_OMS_DATA_DIR ?? 'data'),
    adminPassword: env.AGRI_OMS_ADMIN_PASSWORD || undefined,
    demo: env.AGRI_OMS_DEMO !== '0',
    secret: env.AGRI_OMS_SECRET || undefined,
    sessionIdleMinutes: Number(env.AGRI_OMS_SESSION_IDLE_MINUTES ?? 120),
    sessionAbsoluteHours: Number(env.AGRI_OMS_SESSION_ABSOLUTE_HOURS ?? 12),
    bodyLimitBytes: Number(env.AGRI_OMS_BODY_LIMIT ?? 1_048_576),
    logLevel: env.LOG_LEVEL ?? 'info',
    workers: env.AGRI_OMS_WORKERS !== '0',
    publicBaseUrl: env.PUBLIC_BASE_URL || undefined,
  };
}

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export interface GiteaIniOptions {
  /** Gitea's own folder inside the sandbox: database, repositories, data, logs. */
  workDir: string;
  port: number;
  /** Folder with templates/, options/ and public/ (the binary has no bindata). */
  staticRoot: string;
  secrets: GiteaSecrets;
}

export interface GiteaSecrets {
  secretKey: string;
  internalToken: string;
  /** Also signs other tokens; Gitea rewrites app.ini to add one when it is missing. */
  jwtSecret: string;
}

/** Fresh secrets for one sandbox; Gitea reads each as an opaque string. */
export function generateGiteaSecrets(): GiteaSecrets {
  return {
    secretKey: randomBytes(32).toString('hex'),
    internalToken: randomBytes(32).toString('base64url'),
    // 32 bytes, unpadded base64url: what Gitea's own generator writes and its loader expects.
    jwtSecret: randomBytes(32).toString('base64url'),
  };
}

/**
 * app.ini of a throwaway forge on loopback: SQLite, installed and locked (no setup page),
 * offline (local avatars, no update checks), no SSH, LFS, mail, Actions or packages, and
 * webhooks allowed to loopback, where tests and the operator listen.
 */
export function giteaIni(options: GiteaIniOptions): string {
  const { workDir, port, staticRoot, secrets } = options;
  const sections: Record<string, Record<string, string | number | boolean>> = {
    '': {
      APP_NAME: 'GopherGuard sandbox',
      RUN_MODE: 'prod',
      WORK_PATH: workDir,
      // CI runs as root, and Gitea refuses root unless told this (log.Fatal otherwise).
      I_AM_BEING_UNSAFE_RUNNING_AS_ROOT: true,
    },
    server: {
      PROTOCOL: 'http',
      HTTP_ADDR: '127.0.0.1',
      HTTP_PORT: port,
      DOMAIN: '127.0.0.1',
      ROOT_URL: `http://127.0.0.1:${port}/`,
      APP_DATA_PATH: join(workDir, 'data'),
      STATIC_ROOT_PATH: staticRoot,
      DISABLE_SSH: true,
      START_SSH_SERVER: false,
      OFFLINE_MODE: true,
      LFS_START_SERVER: false,
    },
    // WAL: creating the schema takes 0.4 s instead of 2.8 s, and writes wait less.
    database: { DB_TYPE: 'sqlite3', PATH: join(workDir, 'gitea.db'), SQLITE_JOURNAL_MODE: 'WAL', LOG_SQL: false },
    repository: { ROOT: join(workDir, 'repos'), DEFAULT_BRANCH: 'main' },
    security: {
      INSTALL_LOCK: true,
      SECRET_KEY: secrets.secretKey,
      INTERNAL_TOKEN: secrets.internalToken,
    },
    oauth2: { ENABLED: false, JWT_SECRET: secrets.jwtSecret },
    service: { DISABLE_REGISTRATION: true },
    // The default blocks private addresses, 127.0.0.1 included.
    webhook: { ALLOWED_HOST_LIST: 'loopback' },
    // A database index instead of bleve's files: less to create and nothing to lock.
    indexer: { ISSUE_INDEXER_TYPE: 'db' },
    mailer: { ENABLED: false },
    actions: { ENABLED: false },
    packages: { ENABLED: false },
    'cron.update_checker': { ENABLED: false },
    log: { MODE: 'console', LEVEL: 'Warn', ROOT_PATH: join(workDir, 'log') },
  };
  const lines: string[] = [];
  for (const [name, keys] of Object.entries(sections)) {
    if (name) lines.push('', `[${name}]`);
    for (const [key, value] of Object.entries(keys)) lines.push(`${key} = ${String(value)}`);
  }
  return `${lines.join('\n').trimStart()}\n`;
}

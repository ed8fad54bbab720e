import { buildApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/connection.js';
import { migrate } from './db/migrator.js';
import { retryWhileDatabaseUnavailable } from './db/startup.js';
import { limitHeapGrowth } from './heap.js';
import { createLogger } from './logger.js';

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  limitHeapGrowth(config.heapGrowingPercent);
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    replicaUrl: config.databaseReplicaUrl,
    dataDir: config.dataDir,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    onConnectionError: (err) => logger.warn({ err }, 'a database connection failed; it will be replaced'),
  });
  logger.info({ database: database.kind, replica: database.replica !== undefined }, 'database opened');
  const retry = { timeoutMs: config.databaseStartupTimeoutMs, logger };
  const applied = await retryWhileDatabaseUnavailable('migrate', () => migrate(database), retry);
  if (applied.length) logger.info({ migrations: applied }, 'migrations applied');

  const app = await buildApp({ config, database, logger });
  const boot = await retryWhileDatabaseUnavailable('bootstrap', () => bootstrap(database, app.services), retry);
  if (boot.generatedToken) {
    // Shown once, on the terminal only: the database keeps just its hash and the logs never see it.
    process.stdout.write(`\nBootstrap admin personal access token (shown only now, store it safely):\n  ${boot.generatedToken}\n\n`);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.close();
      await database.close();
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const address = await app.listen({ port: config.port, host: config.host });
  logger.info({ address, publicUrl: config.publicUrl, organizationId: boot.organizationId }, `listening on ${address}`);
}

main().catch((err) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

import { sql } from 'drizzle-orm'
import type { LibSQLDatabase } from 'drizzle-orm/libsql'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Where Twofold records its applied migrations (drizzle's `migrationsTable`). */
export const MIGRATIONS_TABLE = 'twofold_migrations'
/** Drizzle's default bookkeeping table, which Twofold used up to 0.1. */
const LEGACY_MIGRATIONS_TABLE = '__drizzle_migrations'
/** 0.1's tables (`users`, `sessions`, …) to 0.1's `twofold_*`, outside the journal. */
export const UPGRADE_0_1_FILE = 'upgrade/0.1-to-0.2.sql'

/**
 * Applies the migrations in `migrationsFolder` (drizzle's libSQL migrator), recording them in
 * `twofold_migrations`. A database made before that table existed keeps its bookkeeping in
 * `__drizzle_migrations`: its rows for Twofold's own migrations (matched by the file hashes)
 * are carried over first, so nothing already applied runs again. The old table goes when it
 * held only Twofold's rows; in one the host shares with its own migrations, the host's rows stay.
 * When 0.1's tables are still there, `upgrade/0.1-to-0.2.sql` moves them to the `twofold_*` names
 * in the same batch.
 */
export async function applyMigrations(
  // Any libSQL-backed Drizzle database; the schema it was opened with does not matter here.
  db: LibSQLDatabase<any>,
  migrationsFolder: string,
): Promise<void> {
  await carryOverLegacyBookkeeping(db, migrationsFolder)
  await migrate(db, { migrationsFolder, migrationsTable: MIGRATIONS_TABLE })
}

async function tableExists(db: LibSQLDatabase<any>, name: string): Promise<boolean> {
  const rows = await db.all(
    sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ${name}`,
  )
  return rows.length > 0
}

async function carryOverLegacyBookkeeping(db: LibSQLDatabase<any>, migrationsFolder: string) {
  if (!(await tableExists(db, LEGACY_MIGRATIONS_TABLE))) return
  const from = sql.identifier(LEGACY_MIGRATIONS_TABLE)
  const to = sql.identifier(MIGRATIONS_TABLE)
  // Already carried over (or a fresh start recorded): the new table has the say. An empty one
  // (say, left by a run that stopped early) does not count.
  const created = await tableExists(db, MIGRATIONS_TABLE)
  if (created && (await db.all(sql`SELECT 1 FROM ${to} LIMIT 1`)).length > 0) return
  const shipped = readMigrationFiles({ migrationsFolder })
  const hashes = new Set(shipped.map((m) => m.hash))
  const times = new Set(shipped.map((m) => m.folderMillis))
  const legacy = await db.all<{ rowid: number; hash: string; created_at: number | string }>(
    sql`SELECT rowid, hash, created_at FROM ${from}`,
  )
  // Drizzle's migrator itself goes by created_at (the journal's `when`); the hash says the same.
  const matched = legacy.filter((row) => hashes.has(row.hash) || times.has(Number(row.created_at)))
  if (matched.length === 0) return // someone else's bookkeeping: Twofold never ran here
  const ours = sql.join(
    matched.map((row) => sql`${row.rowid}`),
    sql`, `,
  )
  // 0.1's tables still under their old names: moved to twofold_* (the rewritten 0000–0002 are
  // recorded as applied by the rows carried over, so they do not run again).
  const upgrade =
    (await tableExists(db, 'users')) && !(await tableExists(db, 'twofold_users'))
      ? (await readFile(join(migrationsFolder, UPGRADE_0_1_FILE), 'utf8'))
          .split('--> statement-breakpoint')
          .map((statement) => statement.trim())
          .filter((statement) => statement.replace(/^--.*$/gm, '').trim() !== '')
          .map((statement) => db.run(sql.raw(statement)))
      : []
  // One batch: the table drizzle's migrator would create (its `id` stays NULL: SERIAL is no
  // rowid alias in SQLite), 0.1's tables upgraded, Twofold's rows moved into the new record, and
  // the old one dropped, or, when the host's own migrations share it, left with the host's rows.
  await db.batch([
    db.run(
      sql`CREATE TABLE IF NOT EXISTS ${to} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
    ),
    ...upgrade,
    db.run(sql`INSERT INTO ${to} (id, hash, created_at)
      SELECT id, hash, created_at FROM ${from} WHERE rowid IN (${ours}) ORDER BY rowid`),
    matched.length === legacy.length
      ? db.run(sql`DROP TABLE ${from}`)
      : db.run(sql`DELETE FROM ${from} WHERE rowid IN (${ours})`),
  ])
}

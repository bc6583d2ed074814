/**
 * The ceiling: a bench-only route that runs the second step's SQL statements (same tables, same
 * rows, same order, one batch where the real step has one) through the same libSQL client, with
 * no crypto, hashing, validation or ORM. Mounted by the bench on its own server, never in the app.
 */
import type { Client } from '@libsql/client'
import type { Hono } from 'hono'

const SQL = {
  claim: `update "challenges" set "attempts" = "challenges"."attempts" + 1, "consumed_at" = ? where ("challenges"."token_hash" = ? and "challenges"."consumed_at" is null and "challenges"."expires_at" > ? and "challenges"."attempts" < ?) returning "id", "user_id", "token_hash", "created_at", "expires_at", "attempts", "consumed_at", "email_code_hash", "email_code_expires_at", "email_code_sent_at"`,
  user: `select "id", "email", "name", "password_hash", "role", "role_since", "created_at", "last_sign_in_at" from "users" where "users"."id" = ?`,
  reserve: `insert into "attempt_counters" ("key", "count", "window_start", "locked_until") values (?, ?, ?, ?) on conflict ("attempt_counters"."key") do update set "count" = CASE WHEN (("attempt_counters"."locked_until" is not null and "attempt_counters"."locked_until" <= ?) or 0) THEN 1 ELSE "attempt_counters"."count" + 1 END, "window_start" = CASE WHEN (("attempt_counters"."locked_until" is not null and "attempt_counters"."locked_until" <= ?) or 0) THEN ? ELSE "attempt_counters"."window_start" END, "locked_until" = CASE WHEN (("attempt_counters"."locked_until" is not null and "attempt_counters"."locked_until" <= ?) or 0) THEN NULL ELSE "attempt_counters"."locked_until" END where ((("attempt_counters"."locked_until" is not null and "attempt_counters"."locked_until" <= ?) or 0) or ("attempt_counters"."locked_until" is null and "attempt_counters"."count" < ?)) returning "count"`,
  factor: `select "id", "user_id", "secret_ciphertext", "key_id", "last_step", "created_at", "enabled_at" from "factors" where "factors"."user_id" = ?`,
  claimStep: `update "factors" set "last_step" = ? where ("factors"."id" = ? and "factors"."last_step" < ? and "factors"."enabled_at" is not null) returning "id"`,
  clear: `delete from "attempt_counters" where "attempt_counters"."key" = ?`,
  audit: `insert into "audit_events" ("id", "user_id", "actor_id", "action", "ip", "user_agent", "metadata", "created_at") values (?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?)`,
  session: `insert into "sessions" ("id", "user_id", "token_hash", "created_at", "expires_at", "ip", "user_agent") values (?, ?, ?, ?, ?, ?, ?)`,
  lastSignIn: `update "users" set "last_sign_in_at" = ? where "users"."id" = ?`,
}

export function mountCeiling(app: Hono<any>, client: Client) {
  let serial = 0
  app.post('/bench/ceiling', async (c) => {
    const { tokenHash } = (await c.req.json()) as { tokenHash: string }
    const now = Date.now()
    const id = `${now}_${++serial}`
    const claimed = await client.execute({ sql: SQL.claim, args: [now, tokenHash, now, 5] })
    const challenge = claimed.rows[0]
    if (!challenge) return c.json({ error: { code: 'INVALID_CHALLENGE' } }, 401)
    const userId = challenge.user_id as string
    const user = (await client.execute({ sql: SQL.user, args: [userId] })).rows[0]!
    const key = `2fa:${userId}`
    await client.execute({
      sql: SQL.reserve,
      args: [key, 1, now, null, now, now, now, now, now, 10],
    })
    const factor = (await client.execute({ sql: SQL.factor, args: [userId] })).rows[0]!
    const step = Math.floor(now / 30_000)
    await client.execute({ sql: SQL.claimStep, args: [step, factor.id, step] })
    await client.execute({ sql: SQL.clear, args: [key] })
    const ip = '127.0.0.1'
    const ua = c.req.header('user-agent') ?? null
    const meta = '{"method":"totp"}'
    await client.execute({
      sql: SQL.audit,
      args: ['two_factor_challenge_passed', 'sign_in'].flatMap((action) => [
        `evt_${action}${id}`, userId, userId, action, ip, ua, meta, now,
      ]),
    })
    const expiresAt = now + 7 * 24 * 3600 * 1000
    await client.batch([
      { sql: SQL.session, args: [`ses_${id}`, userId, `tok_${id}`, now, expiresAt, ip, ua] },
      { sql: SQL.lastSignIn, args: [now, userId] },
    ])
    const session = { token: `tok_${id}`, expiresAt: new Date(expiresAt).toISOString() }
    const dto = {
      id: userId,
      email: user.email,
      name: user.name,
      role: user.role,
      twoFactorEnabled: true,
    }
    return c.json({ status: 'authenticated', user: dto, session, method: 'totp' }, 200)
  })
}

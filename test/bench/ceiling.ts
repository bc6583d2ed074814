/**
 * The ceiling: a bench-only route that runs the second step's SQL statements (same tables, same
 * rows, same order, one batch where the real step has one) through the same libSQL client, with
 * no crypto, hashing, validation or ORM. Mounted by the bench on its own server, never in the app.
 */
import type { Client } from '@libsql/client'
import type { Hono } from 'hono'

const SQL = {
  claim: `update "twofold_challenges" set "attempts" = "twofold_challenges"."attempts" + 1, "consumed_at" = ? where ("twofold_challenges"."token_hash" = ? and "twofold_challenges"."consumed_at" is null and "twofold_challenges"."expires_at" > ? and "twofold_challenges"."attempts" < ?) returning "id", "user_id", "token_hash", "created_at", "expires_at", "attempts", "consumed_at", "email_code_hash", "email_code_expires_at", "email_code_sent_at"`,
  user: `select "id", "email", "name", "password_hash", "role", "role_since", "created_at", "last_sign_in_at" from "twofold_users" where "twofold_users"."id" = ?`,
  reserve: `insert into "twofold_attempt_counters" ("key", "count", "window_start", "locked_until") values (?, ?, ?, ?) on conflict ("twofold_attempt_counters"."key") do update set "count" = CASE WHEN (("twofold_attempt_counters"."locked_until" is not null and "twofold_attempt_counters"."locked_until" <= ?) or 0) THEN 1 ELSE "twofold_attempt_counters"."count" + 1 END, "window_start" = CASE WHEN (("twofold_attempt_counters"."locked_until" is not null and "twofold_attempt_counters"."locked_until" <= ?) or 0) THEN ? ELSE "twofold_attempt_counters"."window_start" END, "locked_until" = CASE WHEN (("twofold_attempt_counters"."locked_until" is not null and "twofold_attempt_counters"."locked_until" <= ?) or 0) THEN NULL ELSE "twofold_attempt_counters"."locked_until" END where ((("twofold_attempt_counters"."locked_until" is not null and "twofold_attempt_counters"."locked_until" <= ?) or 0) or ("twofold_attempt_counters"."locked_until" is null and "twofold_attempt_counters"."count" < ?)) returning "count"`,
  factor: `select "id", "user_id", "secret_ciphertext", "key_id", "last_step", "created_at", "enabled_at" from "twofold_factors" where "twofold_factors"."user_id" = ?`,
  claimStep: `update "twofold_factors" set "last_step" = ? where ("twofold_factors"."id" = ? and "twofold_factors"."last_step" < ? and "twofold_factors"."enabled_at" is not null) returning "id"`,
  clear: `delete from "twofold_attempt_counters" where "twofold_attempt_counters"."key" = ?`,
  audit: `insert into "twofold_audit_events" ("id", "user_id", "actor_id", "action", "ip", "user_agent", "metadata", "created_at") values (?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?)`,
  session: `insert into "twofold_sessions" ("id", "user_id", "token_hash", "created_at", "expires_at", "ip", "user_agent") values (?, ?, ?, ?, ?, ?, ?)`,
  lastSignIn: `update "twofold_users" set "last_sign_in_at" = ? where "twofold_users"."id" = ?`,
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

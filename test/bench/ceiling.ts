/**
 * The ceilings: bench-only routes mounted by the bench on its own server, never in the app, on the
 * same libSQL client as the real second step, with no crypto, hashing, validation or ORM.
 *
 * Both send their SQL through the driver the app's hot path uses (`rawDriver`: on the bench's
 * embedded file, the native connection with its statement cache), so the ratios compare designs,
 * not drivers.
 *
 * - `/bench/ceiling3`: the floor any design pays for a step that reads and writes: SELECT the
 *   challenge, UPDATE it, INSERT a session (3 statements, 2 commits).
 * - `/bench/ceiling`: the second step's own SQL (the same compiled statements, the same rows and
 *   order: 1 read, then 1 batch), with the values filled in without crypto.
 */
import type { Hono } from 'hono'
import { sql } from 'drizzle-orm'
import type { RawDriver } from '../../api/db/raw'
import { bind, compile, name, names } from '../../api/db/raw'
import { challenges, sessions } from '../../api/db/schema'
import { READ_STEP, stepStatements } from '../../api/services/second-step.service'

const C = challenges
const S = sessions
const THREE = {
  select: compile(sql`SELECT ${C.id} AS id, ${C.userId} AS user_id, ${C.attempts} AS attempts,
    ${C.expiresAt} AS expires_at, ${C.consumedAt} AS consumed_at
    FROM ${C} WHERE ${C.tokenHash} = ?`).sql,
  update: compile(sql`UPDATE ${C} SET ${name(C.attempts)} = ${C.attempts} + 1,
    ${name(C.consumedAt)} = ? WHERE ${C.id} = ? AND ${C.consumedAt} IS NULL`).sql,
  insert: compile(sql`INSERT INTO ${S}
    (${names(S.id, S.userId, S.tokenHash, S.createdAt, S.expiresAt, S.ip, S.userAgent)})
    VALUES (?, ?, ?, ?, ?, ?, ?)`).sql,
}

export function mountCeiling(app: Hono<any>, driver: RawDriver) {
  let serial = 0
  const answer = (userId: string, id: string, now: number, expiresAt: number) => ({
    status: 'authenticated',
    user: { id: userId, email: null, name: null, role: 'user', twoFactorEnabled: true },
    session: { token: `tok_${id}`, expiresAt: new Date(expiresAt).toISOString() },
    method: 'totp',
    at: now,
  })

  app.post('/bench/ceiling3', async (c) => {
    const { tokenHash } = (await c.req.json()) as { tokenHash: string }
    const now = Date.now()
    const id = `${now}_${++serial}`
    const [challenge] = await driver.read({ sql: THREE.select, args: [tokenHash] })
    if (!challenge) return c.json({ error: { code: 'INVALID_CHALLENGE' } }, 401)
    await driver.batch([{ sql: THREE.update, args: [now, challenge.id] }])
    const userId = challenge.user_id as string
    const expiresAt = now + 7 * 24 * 3600 * 1000
    const ua = c.req.header('user-agent') ?? null
    await driver.batch([
      {
        sql: THREE.insert,
        args: [`ses_${id}`, userId, `tok_${id}`, now, expiresAt, '127.0.0.1', ua],
      },
    ])
    return c.json(answer(userId, id, now, expiresAt), 200)
  })

  const statements = stepStatements({ claim: 'totp', session: true, device: false })
  app.post('/bench/ceiling', async (c) => {
    const { tokenHash } = (await c.req.json()) as { tokenHash: string }
    const now = Date.now()
    const id = `${now}_${++serial}`
    const read = bind(READ_STEP, { tokenHash, now })
    const [row] = await driver.read(read)
    if (!row) return c.json({ error: { code: 'INVALID_CHALLENGE' } }, 401)
    const userId = row.uid as string
    const expiresAt = now + 7 * 24 * 3600 * 1000
    const values = {
      cid: row.cid,
      uid: userId,
      key: `2fa:${userId}`,
      now,
      limit: 5,
      failLimit: 10,
      lockUntil: now + 900_000,
      ip: '127.0.0.1',
      ua: c.req.header('user-agent') ?? null,
      passedId: `evt_p${id}`,
      failedId: `evt_f${id}`,
      lockedId: `evt_l${id}`,
      signInId: `evt_s${id}`,
      failMethod: 'totp',
      lockedMeta: '{}',
      passMeta: '{"method":"totp"}',
      step: Math.floor(now / 30_000),
      // The first confirmed app (the bench seeds one per user).
      fid: (JSON.parse(String(row.authenticators)) as { id: string }[])[0]?.id ?? null,
      sessionId: `ses_${id}`,
      sessionHash: `tok_${id}`,
      sessionExpires: expiresAt,
    }
    const results = await driver.batch(statements.map((s) => bind(s, values)))
    if (Number(results.at(-1)![0]!.passed) !== 1) {
      return c.json({ error: { code: 'INVALID_CODE' } }, 401)
    }
    return c.json(answer(userId, id, now, expiresAt), 200)
  })
}

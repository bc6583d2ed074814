/**
 * A user's authenticators: listing, adding an app or a passkey, renaming, removing. Removing
 * needs a step-up (checked by the route) and never takes the last one (that is `disable`).
 */
import type { RegistrationResponseJSON } from '@simplewebauthn/server'
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm'
import type { Auth, Deps, RequestMeta, WebAuthnSite } from '../context'
import { authenticators } from '../db/schema'
import { newId } from '../lib/crypto'
import { HttpError } from '../lib/errors'
import { notify } from '../lib/notify'
import { iso } from '../lib/time'
import { recordEvent, recordEvents } from './audit.service'
import {
  claimTotp,
  classifyCode,
  enabledAtOf,
  getAuthenticators,
  issueBackupCodes,
  newPendingApp,
  type AuthenticatorRow,
} from './factor.service'
import { verifyRegistration } from './passkey.service'

type Owner = Pick<Auth['user'], 'id' | 'email'>

/** What a response shows of an authenticator: never its secret, public key or counter. */
export const toAuthenticatorDto = (row: AuthenticatorRow) => ({
  id: row.id,
  type: row.type,
  name: row.name,
  createdAt: iso(row.createdAt)!,
  lastUsedAt: iso(row.lastUsedAt),
})

/** The confirmed authenticators, oldest first. */
export async function listAuthenticators(deps: Deps, userId: string) {
  const rows = await deps.db
    .select()
    .from(authenticators)
    .where(and(eq(authenticators.userId, userId), isNotNull(authenticators.confirmedAt)))
    .orderBy(asc(authenticators.createdAt), sql`rowid`)
  return { authenticators: rows.map(toAuthenticatorDto) }
}

/** A pending app for a user with 2FA on, replacing an earlier pending one. */
export async function addApp(deps: Deps, user: Owner, name: string) {
  const { db, now } = deps
  if (enabledAtOf(await getAuthenticators(deps, user.id)) === null) {
    throw new HttpError(409, 'TWO_FACTOR_NOT_ENABLED')
  }
  const { keyId, ciphertext, enrollment } = await newPendingApp(deps, user)
  const a = authenticators
  const id = newId('aut')
  await db.batch([
    db.delete(a).where(and(eq(a.userId, user.id), eq(a.type, 'totp'), isNull(a.confirmedAt))),
    db.insert(a).values({
      id,
      userId: user.id,
      type: 'totp',
      name,
      createdAt: now(),
      secretCiphertext: ciphertext,
      keyId,
    }),
  ])
  return { id, ...enrollment }
}

async function ownAuthenticator(deps: Deps, userId: string, id: string) {
  const rows = await getAuthenticators(deps, userId)
  return rows.find((row) => row.id === id) ?? null
}

/** Confirms a pending app with a code from it; the confirming code counts as used. */
export async function verifyApp(
  deps: Deps,
  meta: RequestMeta,
  user: Owner,
  id: string,
  code: string,
) {
  const row = await ownAuthenticator(deps, user.id, id)
  if (!row || row.type !== 'totp' || row.confirmedAt !== null) throw new HttpError(404, 'NOT_FOUND')
  // Only while 2FA is on: the first app is confirmed through /setup/verify (with backup codes).
  if (enabledAtOf(await getAuthenticators(deps, user.id)) === null) {
    throw new HttpError(409, 'TWO_FACTOR_NOT_ENABLED')
  }
  const { value } = classifyCode(code, 'totp')
  if (!(await claimTotp(deps, user.id, value, true, id))) throw new HttpError(401, 'INVALID_CODE')
  await recordEvent(deps, meta, {
    action: 'authenticator_added',
    userId: user.id,
    metadata: { type: 'totp', authenticatorId: id },
  })
  notify(deps, user.email, { kind: 'authenticator_added' })
  const confirmed = await ownAuthenticator(deps, user.id, id)
  return { authenticator: toAuthenticatorDto(confirmed!) }
}

export async function renameAuthenticator(
  deps: Deps,
  meta: RequestMeta,
  userId: string,
  id: string,
  name: string,
) {
  const a = authenticators
  const [row] = await deps.db
    .update(a)
    .set({ name })
    .where(and(eq(a.id, id), eq(a.userId, userId), isNotNull(a.confirmedAt)))
    .returning()
  if (!row) throw new HttpError(404, 'NOT_FOUND')
  await recordEvent(deps, meta, {
    action: 'authenticator_renamed',
    userId,
    metadata: { type: row.type, authenticatorId: id },
  })
  return { authenticator: toAuthenticatorDto(row) }
}

/**
 * Removes one confirmed authenticator, never the last: one conditional delete, so two parallel
 * removals cannot leave the user with none. 404 for one that is not the user's.
 */
export async function removeAuthenticator(deps: Deps, meta: RequestMeta, user: Owner, id: string) {
  const a = authenticators
  const [removed] = await deps.db
    .delete(a)
    .where(
      and(
        eq(a.id, id),
        eq(a.userId, user.id),
        isNotNull(a.confirmedAt),
        sql`(SELECT count(*) FROM ${a} WHERE ${a.userId} = ${user.id}
          AND ${a.confirmedAt} IS NOT NULL) > 1`,
      ),
    )
    .returning({ type: a.type })
  if (!removed) {
    const row = await ownAuthenticator(deps, user.id, id)
    if (row?.confirmedAt) throw new HttpError(409, 'LAST_AUTHENTICATOR')
    throw new HttpError(404, 'NOT_FOUND')
  }
  await recordEvent(deps, meta, {
    action: 'authenticator_removed',
    userId: user.id,
    metadata: { type: removed.type, authenticatorId: id },
  })
  notify(deps, user.email, { kind: 'authenticator_removed' })
}

/**
 * Registers a verified passkey. When it is the user's first confirmed authenticator it turns
 * 2FA on and the first backup codes come with it (shown once).
 */
export async function registerPasskey(
  deps: Deps,
  meta: RequestMeta,
  site: WebAuthnSite,
  user: Owner,
  input: { name: string; credential: RegistrationResponseJSON },
) {
  const credential = await verifyRegistration(deps, site, user.id, input.credential)
  const enabling = enabledAtOf(await getAuthenticators(deps, user.id)) === null
  const at = deps.now()
  const row = {
    id: newId('aut'),
    userId: user.id,
    type: 'passkey' as const,
    name: input.name,
    createdAt: at,
    confirmedAt: at,
    ...credential,
  }
  try {
    await deps.db.insert(authenticators).values(row)
  } catch {
    // The unique credential id: registered in parallel since the check.
    throw new HttpError(409, 'PASSKEY_EXISTS')
  }
  const added = {
    action: 'authenticator_added' as const,
    userId: user.id,
    metadata: { type: 'passkey', authenticatorId: row.id, aaguid: credential.aaguid },
  }
  const authenticator = toAuthenticatorDto({ ...row, lastUsedAt: null } as AuthenticatorRow)
  if (!enabling) {
    await recordEvent(deps, meta, added)
    notify(deps, user.email, { kind: 'authenticator_added' })
    return { authenticator }
  }
  const backupCodes = await issueBackupCodes(deps, user.id)
  await recordEvents(deps, meta, [
    added,
    { action: 'two_factor_enabled', userId: user.id, metadata: { method: 'passkey' } },
  ])
  notify(deps, user.email, { kind: 'two_factor_enabled' })
  return { authenticator, backupCodes }
}

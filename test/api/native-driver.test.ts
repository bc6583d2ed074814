/**
 * The embedded file's hot-path driver (api/db/native.ts): a second connection with a statement
 * cache. It must see what the app's client commits, keep a batch all-or-nothing, and be used
 * only where a second connection reaches the same database.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openLibsql } from '../../api/db/libsql'
import { embeddedPath, nativeDriver } from '../../api/db/native'
import { rawDriver } from '../../api/db/raw'

async function fileDb() {
  const file = join(mkdtempSync(join(tmpdir(), 'twofold-native-')), 'test.db')
  const opened = await openLibsql({ url: `file:${file}` })
  return { file, ...opened }
}

const SETTING = 'INSERT INTO twofold_settings (key, value, updated_at) VALUES (?, ?, ?)'
const READ = 'SELECT value FROM twofold_settings WHERE key = ?'

describe('the embedded file’s native driver', () => {
  it('opens a second connection only for a file both can reach', () => {
    expect(embeddedPath('file:/tmp/twofold.db')).toBe('/tmp/twofold.db')
    expect(embeddedPath('file:///tmp/twofold.db')).toBe('/tmp/twofold.db')
    expect(embeddedPath('file:./data/twofold.db')).toBe('./data/twofold.db')
    expect(embeddedPath('file:/tmp/with%20space.db')).toBe('/tmp/with space.db')
    // An in-memory database exists on one connection only; options stay with the client.
    expect(embeddedPath(':memory:')).toBeNull()
    expect(embeddedPath('file::memory:')).toBeNull()
    expect(embeddedPath('file:/tmp/twofold.db?mode=ro')).toBeNull()
    expect(embeddedPath('libsql://twofold.turso.io')).toBeNull()
  })

  it('is what the sign-in steps use on a file, and sees what the client committed', async () => {
    const { db, client } = await fileDb()
    const driver = rawDriver(db)
    // Not the fallback over the client: the client is not called for the driver's statements.
    let clientCalls = 0
    const execute = client.execute.bind(client)
    client.execute = ((...args: Parameters<typeof execute>) => {
      clientCalls++
      return execute(...args)
    }) as typeof client.execute
    await execute({ sql: SETTING, args: ['a', 'one', 1] })
    expect(await driver.read({ sql: READ, args: ['a'] })).toEqual([{ value: 'one' }])
    // The same statement again (from the cache), with other values.
    await execute({ sql: SETTING, args: ['b', 'two', 2] })
    expect(await driver.read({ sql: READ, args: ['b'] })).toEqual([{ value: 'two' }])
    expect(clientCalls).toBe(0)
  })

  it('keeps a batch all-or-nothing, and stays usable after a failed one', async () => {
    const { file, client } = await fileDb()
    const driver = nativeDriver(file)
    await expect(
      driver.batch([
        { sql: SETTING, args: ['c', 'kept?', 1] },
        { sql: SETTING, args: ['c', 'duplicate key', 2] },
      ]),
    ).rejects.toThrow(/UNIQUE/)
    const none = await client.execute({ sql: READ, args: ['c'] })
    expect(none.rows).toHaveLength(0)
    // Each statement sees the ones before it; the last one's rows come back; booleans as 0/1.
    const results = await driver.batch([
      { sql: SETTING, args: ['c', 'first', 1] },
      { sql: 'UPDATE twofold_settings SET value = ? WHERE key = ?', args: ['second', 'c'] },
      { sql: 'SELECT value, ? AS flag FROM twofold_settings WHERE key = ?', args: [true, 'c'] },
    ])
    expect(results).toEqual([[], [], [{ value: 'second', flag: 1 }]])
    const kept = await client.execute({ sql: READ, args: ['c'] })
    expect(kept.rows[0]?.value).toBe('second')
    driver.close()
  })
})

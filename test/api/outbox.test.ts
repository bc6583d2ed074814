/** GET /api/admin/outbox is paged like the other lists: `{ messages, total, page, pageSize }`. */
import { describe, expect, it } from 'vitest'
import { outbox } from '../../api/db/schema'
import { makeApp, T0 } from './helpers'

describe('GET /api/admin/outbox', () => {
  it('pages the messages newest first, with total, page and pageSize; out-of-range pages are a 400', async () => {
    const t = await makeApp()
    const admin = (await t.signUp('admin@example.com')).token
    // As the outbox mailer records them, one second apart.
    await t.db.insert(outbox).values(
      Array.from({ length: 30 }, (_, i) => ({
        id: `msg_${i}`,
        to: `user${i}@example.com`,
        subject: `Message ${i}`,
        text: `Text ${i}`,
        html: `<p>${i}</p>`,
        createdAt: T0 + i * 1000,
      })),
    )

    const first = await t.call('GET', '/api/admin/outbox', { token: admin })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ total: 30, page: 1, pageSize: 25 })
    expect(first.body.messages).toHaveLength(25)
    expect(first.body.messages[0]).toMatchObject({
      to: 'user29@example.com',
      subject: 'Message 29',
      text: 'Text 29',
    })

    const second = await t.call('GET', '/api/admin/outbox?page=2&pageSize=25', { token: admin })
    expect(second.body).toMatchObject({ total: 30, page: 2, pageSize: 25 })
    expect(second.body.messages.map((m: { subject: string }) => m.subject)).toEqual(
      [4, 3, 2, 1, 0].map((i) => `Message ${i}`),
    )

    const small = await t.call('GET', '/api/admin/outbox?pageSize=10&page=3', { token: admin })
    expect(small.body.messages.map((m: { subject: string }) => m.subject)).toEqual(
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => `Message ${i}`),
    )

    for (const query of ['?page=0', '?pageSize=101', '?pageSize=abc']) {
      const res = await t.call('GET', `/api/admin/outbox${query}`, { token: admin })
      expect(res.status, query).toBe(400)
      expect(res.body.error.code).toBe('VALIDATION_FAILED')
    }
  })
})

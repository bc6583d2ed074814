import { z } from 'zod'
import type { CreateAppOptions } from './app'
import { httpMailer } from './lib/mailer'

/** The configuration table of the contract, checked once at start. */
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  DATABASE_URL: z.string().min(1).default('file:./data/twofold.db'),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  TWOFOLD_SECRET: z.string().optional(),
  TWOFOLD_PREVIOUS_SECRETS: z.string().optional(),
  TWOFOLD_ISSUER: z.string().min(1).default('Twofold'),
  TWOFOLD_MAILER_URL: z.url().optional(),
  TWOFOLD_MAILER_TOKEN: z.string().optional(),
  TWOFOLD_TRUSTED_ORIGINS: z.string().optional(),
  TWOFOLD_TRUST_PROXY: z.enum(['true', 'false']).optional(),
  TWOFOLD_PUBLIC_ORIGIN: z.url({ protocol: /^https?$/ }).optional(),
  TWOFOLD_RP_ID: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'a domain such as example.com')
    .optional(),
  TWOFOLD_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
})

export type Env = z.infer<typeof EnvSchema>

export function readEnv(source: Record<string, string | undefined>): Env {
  const empty = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''))
  const parsed = EnvSchema.safeParse(empty)
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  ${i.path.join('.')}: ${i.message}`)
      .join('\n')
    throw new Error(`Twofold configuration is not valid:\n${problems}`)
  }
  return parsed.data
}

export const splitList = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

/**
 * The `createApp` options the environment sets, the same on Node and Workers; each entry adds
 * its database, secret and runtime.
 */
export function appOptionsFromEnv(env: Env) {
  return {
    previousSecrets: splitList(env.TWOFOLD_PREVIOUS_SECRETS),
    issuer: env.TWOFOLD_ISSUER,
    mailer: env.TWOFOLD_MAILER_URL
      ? httpMailer({ url: env.TWOFOLD_MAILER_URL, token: env.TWOFOLD_MAILER_TOKEN })
      : undefined,
    trustedOrigins: splitList(env.TWOFOLD_TRUSTED_ORIGINS),
    trustProxy: env.TWOFOLD_TRUST_PROXY === 'true',
    publicOrigin: env.TWOFOLD_PUBLIC_ORIGIN,
    rpId: env.TWOFOLD_RP_ID,
  } satisfies Partial<CreateAppOptions>
}

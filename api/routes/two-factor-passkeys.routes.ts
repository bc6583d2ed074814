/**
 * POST /api/two-factor/passkeys/options, POST /api/two-factor/passkeys (registering a passkey),
 * POST /api/two-factor/step-up and POST /api/two-factor/step-up/passkey.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi'
import type { AppEnv } from '../context'
import { BODY, SESSION, WRITE, errors, json, jsonBody } from '../lib/openapi'
import { requestMeta, webauthnSite } from '../lib/request-meta'
import { authOf, ownSecondFactorRoute } from '../middleware/session'
import {
  PasskeyAuthenticationOptions,
  PasskeyRegistered,
  PasskeyRegistrationBody,
  PasskeyRegistrationOptions,
  StepUpBody,
  StepUpResponse,
} from '../schemas'
import { registerPasskey } from '../services/authenticators.service'
import { registrationOptions } from '../services/passkey.service'
import { stepUp, stepUpOptions, type StepUpInput } from '../services/step-up.service'
import type { RegistrationResponseJSON } from '@simplewebauthn/server'

const secured = ownSecondFactorRoute()

export const passkeyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: 'post',
      path: '/passkeys/options',
      operationId: 'passkeyRegistrationOptions',
      ...secured,
      summary: 'Creation options for a new passkey (its challenge: single use, 5 minutes)',
      responses: {
        200: json(PasskeyRegistrationOptions, 'PublicKeyCredentialCreationOptionsJSON'),
        ...errors(...WRITE, ...SESSION),
      },
    }),
    async (c) => {
      const options = await registrationOptions(c.var.deps, webauthnSite(c), authOf(c).user)
      return c.json({ options }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/passkeys',
      operationId: 'registerPasskey',
      ...secured,
      summary: 'Register a passkey; the first authenticator also returns 10 backup codes',
      request: { body: jsonBody(PasskeyRegistrationBody) },
      responses: {
        201: json(PasskeyRegistered, 'The passkey'),
        ...errors(...BODY, ...SESSION, 'INVALID_CREDENTIAL', 'PASSKEY_EXISTS'),
      },
    }),
    async (c) => {
      const { name, credential } = c.req.valid('json')
      const answer = await registerPasskey(
        c.var.deps,
        requestMeta(c),
        webauthnSite(c),
        authOf(c).user,
        {
          name,
          credential: credential as unknown as RegistrationResponseJSON,
        },
      )
      return c.json(answer, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/step-up',
      operationId: 'stepUp',
      ...secured,
      summary: 'Verify again with a code or a passkey: 10 minutes for sensitive actions',
      request: { body: jsonBody(StepUpBody) },
      responses: {
        200: json(StepUpResponse, 'Verified until'),
        ...errors(...BODY, ...SESSION, 'NOT_ENABLED', 'INVALID_CODE', 'TOO_MANY_ATTEMPTS'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json') as unknown as StepUpInput
      const answer = await stepUp(c.var.deps, requestMeta(c), webauthnSite(c), authOf(c), body)
      return c.json(answer, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/step-up/passkey',
      operationId: 'stepUpPasskeyOptions',
      ...secured,
      summary: "Request options for a step-up with one of the user's passkeys",
      responses: {
        200: json(PasskeyAuthenticationOptions, 'PublicKeyCredentialRequestOptionsJSON'),
        ...errors(...WRITE, ...SESSION),
      },
    }),
    async (c) => {
      const options = await stepUpOptions(c.var.deps, webauthnSite(c), authOf(c))
      return c.json({ options }, 200)
    },
  )

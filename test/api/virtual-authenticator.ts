/**
 * A software authenticator for API tests: real WebAuthn responses made with node:crypto (an
 * ES256 key pair), attestation "none", CBOR and authenticator data built by hand (WebAuthn L3
 * §6.1 authenticator data, §6.5 attestation object, COSE_Key RFC 9053 EC2 P-256).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url')
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest()

/** Minimal CBOR (RFC 8949): unsigned/negative integers, byte and text strings, maps. */
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>
function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length])
  if (length < 256) return Buffer.from([(major << 5) | 24, length])
  if (length < 65536) return Buffer.from([(major << 5) | 25, length >> 8, length & 255])
  const b = Buffer.alloc(5)
  b[0] = (major << 5) | 26
  b.writeUInt32BE(length, 1)
  return b
}
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value)
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8')
    return Buffer.concat([head(3, bytes.length), bytes])
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value])
  const parts = [head(5, value.size)]
  for (const [k, v] of value) parts.push(cbor(k), cbor(v))
  return Buffer.concat(parts)
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n >>> 0)
  return b
}

export interface VirtualAuthenticatorOptions {
  rpId?: string
  origin?: string
}

/** One credential (key pair) with its own signature counter. */
export class VirtualPasskey {
  readonly credentialId = randomBytes(16)
  readonly aaguid = Buffer.alloc(16)
  private readonly privateKey: KeyObject
  private readonly publicJwk: { x: string; y: string }
  counter = 0
  rpId: string
  origin: string

  constructor(options: VirtualAuthenticatorOptions = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    this.privateKey = privateKey
    this.publicJwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string }
    this.rpId = options.rpId ?? 'localhost'
    this.origin = options.origin ?? 'http://localhost'
  }

  get id() {
    return b64url(this.credentialId)
  }

  private coseKey() {
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(this.publicJwk.x, 'base64url')],
        [-3, Buffer.from(this.publicJwk.y, 'base64url')],
      ]),
    )
  }

  private clientData(type: string, challenge: string, origin: string) {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }))
  }

  /** A `RegistrationResponseJSON` for these creation options' challenge. */
  register(
    options: { challenge: string },
    overrides: { origin?: string; rpId?: string; challenge?: string } = {},
  ) {
    const rpIdHash = sha256(overrides.rpId ?? this.rpId)
    const flags = 0x01 | 0x04 | 0x40 // user present, user verified, attested credential data
    const idLength = Buffer.from([this.credentialId.length >> 8, this.credentialId.length & 255])
    const authData = Buffer.concat([
      rpIdHash,
      Buffer.from([flags]),
      u32(this.counter),
      this.aaguid,
      idLength,
      this.credentialId,
      this.coseKey(),
    ])
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    )
    const clientDataJSON = this.clientData(
      'webauthn.create',
      overrides.challenge ?? options.challenge,
      overrides.origin ?? this.origin,
    )
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    }
  }

  /**
   * An `AuthenticationResponseJSON` for these request options' challenge; the counter moves
   * forward first unless `counter` says what to report.
   */
  assert(
    options: { challenge: string },
    overrides: { origin?: string; rpId?: string; counter?: number; challenge?: string } = {},
  ) {
    if (overrides.counter === undefined) this.counter += 1
    const counter = overrides.counter ?? this.counter
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? this.rpId),
      Buffer.from([0x01 | 0x04]),
      u32(counter),
    ])
    const clientDataJSON = this.clientData(
      'webauthn.get',
      overrides.challenge ?? options.challenge,
      overrides.origin ?? this.origin,
    )
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientDataJSON)]),
      this.privateKey,
    )
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
      },
      clientExtensionResults: {},
    }
  }
}

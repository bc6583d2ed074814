/**
 * What the demo's build writes where the per-answer CSP nonce goes (Vite's `html.cspNonce`);
 * api/node.ts replaces it in index.html with the nonce of each answer.
 */
export const DEMO_NONCE_PLACEHOLDER = 'TWOFOLD_CSP_NONCE'

import { setupServer } from 'msw/node'
import { handlers } from '../msw/handlers'

/** The MSW server of the component tests: the shared happy-path handlers. */
export const server = setupServer(...handlers)

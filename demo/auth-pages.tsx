import { SignInForm, type User } from 'twofold/react'
import { Page } from './layout'
import { SignUpForm } from './sign-up-form'

const TITLE = 'Welcome to the Twofold demo'

/** Password first; the kit's form asks for the second factor itself when the account has one. */
export function SignInPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  return (
    <Page
      title={TITLE}
      intro="Sign in with your email and password. If your account uses two-factor authentication, you will be asked for a code next."
    >
      <SignInForm onSignedIn={(result) => onSignedIn(result.user)} />
      <p className="demo-aside">
        New here? <a href="#/sign-up">Create an account</a>.
      </p>
    </Page>
  )
}

export function SignUpPage({ onSignedUp }: { onSignedUp: (user: User) => void }) {
  return (
    <Page
      title={TITLE}
      intro="Create an account, then turn on two-factor authentication in your security settings. The first account created on this server becomes its administrator."
    >
      <SignUpForm onSignedUp={onSignedUp} />
      <p className="demo-aside">
        Already have an account? <a href="#/sign-in">Sign in</a>.
      </p>
    </Page>
  )
}

// The rule lives in contracts: the web app shows it to people before they submit.
export {
  MIN_NAME_LENGTH_CHECKED,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordProblems,
  type PasswordOwner,
} from '@mfm/contracts/password-rule';

import type { ComponentProps } from 'react';
import { ApiError } from '../api/api-error';
import { TextField } from '../ui/text-field.component';

/** The store's refusal of a wrong current password, in the owner's words (else undefined). */
export function wrongPassword(error: unknown): string | undefined {
  return error instanceof ApiError && error.code === 'INVALID_CREDENTIALS'
    ? 'That is not your current password.'
    : undefined;
}

/** The account's current password, asked again before its email or sign-in settings change. */
export function CurrentPasswordField(
  props: Omit<ComponentProps<typeof TextField>, 'type' | 'autoComplete'>,
) {
  return <TextField type="password" autoComplete="current-password" {...props} />;
}

import type { HttpException } from '@nestjs/common';

/** How a call was refused: the HTTP status and the error body (code, message, details). */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * The refusal a call ended with, for unit tests of rules: fails the test when the call succeeded,
 * so an assertion on the refusal never passes by accident.
 */
export async function refusal(promise: Promise<unknown>): Promise<Refusal> {
  const outcome = await promise.then(
    () => ({ refused: false as const }),
    (error: unknown) => ({ refused: true as const, error: error as HttpException }),
  );
  if (!outcome.refused) throw new Error('expected a refusal, but the call succeeded');
  return {
    status: outcome.error.getStatus(),
    ...(outcome.error.getResponse() as object),
  } as Refusal;
}

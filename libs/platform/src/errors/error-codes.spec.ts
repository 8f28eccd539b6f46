import { AppError } from './error-body';
import { declareError } from './error-codes';

describe('declareError', () => {
  it('throws the declared status, code and message, with the details of this throw', () => {
    const declared = declareError(409, 'EMAIL_TAKEN', 'That email address is already registered');
    const error = declared.error({ field: 'email' });
    expect(error).toBeInstanceOf(AppError);
    expect(error.getStatus()).toBe(409);
    expect(error.getResponse()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'EMAIL_TAKEN',
      message: 'That email address is already registered',
      details: { field: 'email' },
    });
  });

  it('documents the example and throws the message filled from what the error is about', () => {
    const declared = declareError(
      404,
      'ORDER_NOT_FOUND',
      (p: { id: string }) => `No order with id ${p.id}`,
      { id: 'example-id' },
    );
    expect(declared.message).toBe('No order with id example-id');
    const body = declared.error({ id: 'o-42' }).getResponse() as { message: string };
    expect(body.message).toBe('No order with id o-42');
  });
});

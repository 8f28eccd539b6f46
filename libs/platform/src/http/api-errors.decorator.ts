import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { reasonPhrase } from '../errors/error-body';
import { ErrorSpec } from '../errors/error-codes';
import { ErrorBodyDto } from './error-body.dto';

/** The error body a spec produces, as a client receives it. */
export const errorExample = (spec: ErrorSpec) => ({
  statusCode: spec.status,
  error: reasonPhrase(spec.status),
  code: spec.code,
  message: spec.message,
});

/**
 * The name of each example of a status: its code, and for a code with several messages (the
 * same refusal for different reasons) the code numbered from its second message on.
 */
const exampleNames = (group: readonly ErrorSpec[]): string[] =>
  group.map((spec, index) => {
    const earlier = group.slice(0, index).filter((other) => other.code === spec.code).length;
    return earlier === 0 ? spec.code : `${spec.code} (${earlier + 1})`;
  });

/** One documented response per status, with an example per message, all in the one error shape. */
export function errorResponses(specs: readonly ErrorSpec[]) {
  const byStatus = new Map<number, ErrorSpec[]>();
  for (const spec of specs) byStatus.set(spec.status, [...(byStatus.get(spec.status) ?? []), spec]);
  return [...byStatus].map(([status, group]) => {
    const names = exampleNames(group);
    return {
      status,
      description: [...new Set(group.map((spec) => spec.code))].join(', '),
      content: {
        'application/json': {
          schema: { $ref: getSchemaPath(ErrorBodyDto) },
          examples: Object.fromEntries(
            group.map((spec, index) => [
              names[index],
              { summary: spec.message, value: errorExample(spec) },
            ]),
          ),
        },
      },
    };
  });
}

/**
 * The errors a route answers with besides 500 and 503 (which every route documents): one
 * response per status, an example per code. Codes come from the catalogues in errors/error-codes
 * and @mfm/contracts/errors.contract, the same ones the code throws. Several of these on one route
 * (its guards' and its own) add up: examples of the same status are merged, not replaced.
 */
export function ApiErrors(...specs: ErrorSpec[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorBodyDto),
    ...errorResponses(specs).map(({ status, description, content }) =>
      ApiResponse({
        status,
        description,
        type: ErrorBodyDto,
        examples: content['application/json'].examples,
      }),
    ),
  );
}

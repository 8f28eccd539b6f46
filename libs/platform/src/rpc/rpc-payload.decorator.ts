import { Payload } from '@nestjs/microservices';

/** The payload of an RpcEnvelope, validated against the handler parameter's DTO class. */
export const RpcPayload = (): ParameterDecorator => Payload('payload');

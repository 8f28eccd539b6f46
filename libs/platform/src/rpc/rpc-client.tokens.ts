import { ModuleName } from '../topology/module-names';

/** Injection token of the RpcClient that reaches one module. */
export const rpcClientToken = (module: ModuleName): string => `RPC_CLIENT:${module}`;

import { LoggingMessages } from './logging.contract';
import type { Message } from './message';
import { OrdersMessages } from './orders.contract';
import { ProductsMessages } from './products.contract';
import { SearchMessages } from './search.contract';
import { UsersMessages } from './users.contract';

const CONTRACTS: Array<Record<string, Message<unknown, unknown>>> = [
  UsersMessages,
  ProductsMessages,
  SearchMessages,
  OrdersMessages,
  LoggingMessages,
];

/** Every message of every module's contract, for the specs that check them all. */
export const ALL_MESSAGES = CONTRACTS.flatMap((messages) => Object.values(messages));

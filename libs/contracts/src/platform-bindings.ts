import { Provider } from '@nestjs/common';
import { TOKEN_VERIFIER } from '@mfm/platform/auth/token-verifier';
import { MAIL_CONTACTS, MailContacts } from '@mfm/platform/mail/mail-contacts';
import { OUTBOX_MESSAGES } from '@mfm/platform/outbox/outbox';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { OUTBOX_MESSAGES as STORE_OUTBOX_MESSAGES } from './outbox';
import { UsersClient } from './users.contract';

/**
 * What the platform asks of the modules (PlatformOptions.bindings), answered by the contracts:
 * the users module checks tokens and knows where to mail an account; the outboxes send the
 * store's audit events and batches. UsersClient itself is shared too: every module's classic
 * adapter checks classic tokens with it. Other clients belong to the modules that call them
 * (peerClients in module-peers.ts).
 */
export const PLATFORM_BINDINGS: Provider[] = [
  UsersClient,
  { provide: TOKEN_VERIFIER, useExisting: UsersClient },
  {
    provide: MAIL_CONTACTS,
    inject: [rpcClientToken('users')],
    useFactory: (rpc: RpcClient): MailContacts => ({
      contactOf: async (userId, sender) => {
        // The mail's module asks as itself, which users checks against who may ask.
        const users = new UsersClient(sender ? rpc.as(sender) : rpc);
        const contact = await users.contact({ userId });
        return { address: contact.email, name: contact.firstName };
      },
    }),
  },
  { provide: OUTBOX_MESSAGES, useValue: STORE_OUTBOX_MESSAGES },
];

/** The handler of every command kind the parser produces (one file per command, or per pair of twins). */
import type { ImapCommandKind } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';
import { append } from './append';
import { authenticate } from './authenticate';
import { capability } from './capability';
import { close, unselect } from './close';
import { copy } from './copy';
import { create } from './create';
import { deleteMailbox } from './delete';
import { enable } from './enable';
import { expunge } from './expunge';
import { fetch } from './fetch';
import { id } from './id';
import { idle } from './idle';
import { list, lsub } from './list';
import { login } from './login';
import { logout } from './logout';
import { namespace } from './namespace';
import { check, noop } from './noop';
import { getQuota, getQuotaRoot, setQuota } from './quota';
import { rename } from './rename';
import { search } from './search';
import { select } from './select';
import { starttls } from './starttls';
import { status } from './status';
import { store } from './store';
import { subscribe } from './subscribe';

type HandlerTable = { readonly [K in ImapCommandKind]: CommandHandler<K> };

const handlers: HandlerTable = {
  CAPABILITY: capability,
  NOOP: noop,
  CHECK: check,
  LOGOUT: logout,
  STARTTLS: starttls,
  AUTHENTICATE: authenticate,
  LOGIN: login,
  ENABLE: enable,
  NAMESPACE: namespace,
  ID: id,
  LIST: list,
  LSUB: lsub,
  STATUS: status,
  SELECT: select,
  EXAMINE: select,
  CLOSE: close,
  UNSELECT: unselect,
  IDLE: idle,
  FETCH: fetch,
  STORE: store,
  SEARCH: search,
  EXPUNGE: expunge,
  COPY: copy,
  MOVE: copy,
  GETQUOTA: getQuota,
  GETQUOTAROOT: getQuotaRoot,
  SETQUOTA: setQuota,
  CREATE: create,
  DELETE: deleteMailbox,
  RENAME: rename,
  SUBSCRIBE: subscribe,
  UNSUBSCRIBE: subscribe,
  APPEND: append,
};

export function handlerFor<K extends ImapCommandKind>(kind: K): CommandHandler<K> {
  return handlers[kind];
}

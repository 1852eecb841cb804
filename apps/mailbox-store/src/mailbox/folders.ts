/** The folders every user has. POP3 reads INBOX; spam goes to Junk. */
export const Folders = {
  inbox: 'INBOX',
  junk: 'Junk',
} as const;

export type FolderName = (typeof Folders)[keyof typeof Folders];

/**
 * Created with each user (admin user.add; migration 003 for earlier users),
 * each with its RFC 6154 §2 special-use attribute (none for INBOX).
 */
export const userFolders: readonly { readonly name: string; readonly specialUse: string | null }[] = [
  { name: Folders.inbox, specialUse: null },
  { name: Folders.junk, specialUse: '\\Junk' },
  { name: 'Drafts', specialUse: '\\Drafts' },
  { name: 'Sent', specialUse: '\\Sent' },
  { name: 'Trash', specialUse: '\\Trash' },
  { name: 'Archive', specialUse: '\\Archive' },
];

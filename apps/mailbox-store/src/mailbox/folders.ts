/** The folders every user has. POP3 reads INBOX; spam goes to Junk. */
export const Folders = {
  inbox: 'INBOX',
  junk: 'Junk',
} as const;

export type FolderName = (typeof Folders)[keyof typeof Folders];

/** Created with each user (admin user.add). */
export const userFolders: readonly FolderName[] = [Folders.inbox, Folders.junk];

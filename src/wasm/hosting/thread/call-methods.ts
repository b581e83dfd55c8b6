/** The module calls the module thread serves, and how a reply starts; shared by both sides of the channel. */
export const CALL_METHODS = ['map', 'filter', 'branch', 'accumulate', 'delay'] as const;
export type CallMethod = (typeof CALL_METHODS)[number];

export const REPLY_STATUS = {
  OK: 0,
  /** The module returned its error result. */
  ERROR: 1,
  /** The module trapped; the thread has already replaced the instance. */
  TRAP: 2,
  /** Not the module's doing: a bug on the thread's side. */
  HOST_FAILURE: 3,
} as const;

// Original file: proto/dr.proto

export const DrEntryType = {
  DR_ENTRY_TYPE_NORMAL: 'DR_ENTRY_TYPE_NORMAL',
  DR_ENTRY_TYPE_CONF_CHANGE: 'DR_ENTRY_TYPE_CONF_CHANGE',
} as const;

export type DrEntryType =
  | 'DR_ENTRY_TYPE_NORMAL'
  | 0
  | 'DR_ENTRY_TYPE_CONF_CHANGE'
  | 1

export type DrEntryType__Output = typeof DrEntryType[keyof typeof DrEntryType]

// Original file: proto/dr.proto

import type { DrEntry as _coffer_dr_v1_DrEntry, DrEntry__Output as _coffer_dr_v1_DrEntry__Output } from '../../../coffer/dr/v1/DrEntry.js';
import type { Long } from '@grpc/proto-loader';

export interface EntryBatch {
  'entries'?: (_coffer_dr_v1_DrEntry)[];
  'primary_last_index'?: (number | string | Long);
  'primary_now_ms'?: (number | string | Long);
  'next_entry_timestamp_ms'?: (number | string | Long);
  'epoch'?: (number | string | Long);
  'first_entry_timestamp_ms'?: (number | string | Long);
}

export interface EntryBatch__Output {
  'entries': (_coffer_dr_v1_DrEntry__Output)[];
  'primary_last_index': (string);
  'primary_now_ms': (string);
  'next_entry_timestamp_ms': (string);
  'epoch': (string);
  'first_entry_timestamp_ms': (string);
}

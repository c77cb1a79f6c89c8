// Original file: proto/dr.proto

import type { DrEntryType as _coffer_dr_v1_DrEntryType, DrEntryType__Output as _coffer_dr_v1_DrEntryType__Output } from '../../../coffer/dr/v1/DrEntryType.js';
import type { Long } from '@grpc/proto-loader';

export interface DrEntry {
  'index'?: (number | string | Long);
  'term'?: (number | string | Long);
  'type'?: (_coffer_dr_v1_DrEntryType);
  'data'?: (Buffer | Uint8Array | string);
}

export interface DrEntry__Output {
  'index': (string);
  'term': (string);
  'type': (_coffer_dr_v1_DrEntryType__Output);
  'data': (Buffer);
}

import { describe, expect, it } from 'vitest';
import { columns, formatValue, headedTable, humanDuration, keyValueTable, sectionHeader } from './format.js';

describe('table output (vault columnize)', () => {
  it('aligns Key/Value with four spaces of glue and no trailing blanks', () => {
    expect(keyValueTable([['Sealed', false], ['Total Shares', 3], ['Cluster Name', 'coffer']])).toBe(
      ['Key             Value', '---             -----', 'Sealed          false', 'Total Shares    3', 'Cluster Name    coffer'].join('\n'),
    );
    expect(columns([['a', ''], ['bb', 'x']])).toBe('a\nbb    x');
  });

  it('underlines a header row with dashes of its own length', () => {
    expect(headedTable(['Node', 'Address', 'State', 'Voter'], [['n1', '127.0.0.1:8201', 'leader', 'true']])).toBe(
      ['Node    Address           State     Voter', '----    -------           -----     -----', 'n1      127.0.0.1:8201    leader    true'].join('\n'),
    );
  });

  it('prints values as Go %v', () => {
    expect(formatValue(null)).toBe('<nil>');
    expect(formatValue(['a', 'b'])).toBe('[a b]');
    expect(formatValue({ b: 1, a: 'x' })).toBe('map[a:x b:1]');
    expect(formatValue(true)).toBe('true');
  });

  it('frames sections as padEqualSigns', () => {
    expect(sectionHeader('Secret Path', 'secret/data/creds'.length)).toBe('== Secret Path ==');
    expect(sectionHeader('Data', 3)).toBe('== Data ==');
    expect(sectionHeader('Metadata', 21)).toBe('====== Metadata ======');
  });

  it('prints durations as vault humanDuration', () => {
    expect(humanDuration(0)).toBe('0s');
    expect(humanDuration(2764800)).toBe('768h');
    expect(humanDuration(3600)).toBe('1h');
    expect(humanDuration(3605)).toBe('1h5s');
    expect(humanDuration(5400)).toBe('1h30m');
    expect(humanDuration(90)).toBe('1m30s');
    expect(humanDuration(300)).toBe('5m');
    expect(humanDuration(42)).toBe('42s');
  });
});

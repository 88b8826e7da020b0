import { rowsOf } from './query-rows';

describe('rowsOf', () => {
  it('unwraps the [rows, rowCount] that UPDATE and DELETE return', () => {
    expect(rowsOf([[{ id: 'a' }], 1])).toEqual([{ id: 'a' }]);
    expect(rowsOf([[], 0])).toEqual([]);
  });

  it('leaves the rows of other statements alone, two rows included', () => {
    expect(rowsOf([{ id: 'a' }, { id: 'b' }])).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(rowsOf([])).toEqual([]);
  });
});

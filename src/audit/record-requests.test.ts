import { describe, expect, it } from 'vitest';
import { objectOf, outcomeOf } from './record-requests.js';

describe('objectOf', () => {
  it.each([
    ['/api/v1/register/persons/:id', { id: 'p1' }, { type: 'person', id: 'p1', within: {} }],
    ['/api/v1/register/persons/:id/citizen-id', { id: 'p1' }, { type: 'person', id: 'p1', within: {} }],
    ['/api/v1/register/households/:id', { id: 'h1' }, { type: 'household', id: 'h1', within: {} }],
    [
      '/api/v1/register/households/by-number/:number',
      { number: '330802000900001' },
      { type: 'household-number', id: '330802000900001', within: {} },
    ],
    [
      '/api/v1/register/counties/:code/counts',
      { code: '330802' },
      { type: 'county', id: '330802', within: {} },
    ],
    [
      '/api/v1/register/ledger/:code/verify',
      { code: '330802' },
      { type: 'ledger', id: '330802', within: {} },
    ],
    ['/api/v1/accounts/:id/reset', { id: 'a1' }, { type: 'account', id: 'a1', within: {} }],
    [
      '/api/v1/people/:citizenId',
      { citizenId: '11010519491231002X' },
      { type: 'person', id: '11010519491231002X', within: {} },
    ],
    [
      '/api/v1/applications/:id/materials/:materialId',
      { id: 'app1', materialId: 'm1' },
      { type: 'material', id: 'm1', within: { application: 'app1' } },
    ],
  ])('%s', (route, params, expected) => {
    expect(objectOf(route, params)).toEqual(expected);
  });

  it('answers nothing for a route without parameters', () => {
    expect(objectOf('/api/v1/register/persons', {})).toBeUndefined();
    expect(objectOf('/api/v1/register/persons/:id', undefined)).toBeUndefined();
  });
});

describe('outcomeOf', () => {
  it('maps statuses to success, refused and failed', () => {
    expect([200, 204, 302, 400, 401, 403, 404, 429, 500, 503].map(outcomeOf)).toEqual([
      'success',
      'success',
      'success',
      'refused',
      'refused',
      'refused',
      'refused',
      'refused',
      'failed',
      'failed',
    ]);
  });
});

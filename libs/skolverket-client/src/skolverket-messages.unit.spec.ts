import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readSkolverketMessages, saysTokenInvalid } from './skolverket-messages.js';
import { PayloadTooLargeError, SkolverketApiError } from './errors.js';

const CIVIC_NO = '200901272385';

describe('readSkolverketMessages', () => {
  it('keeps what helps an IT person and drops echoed values, which can be personal data', () => {
    const [message] = readSkolverketMessages([
      {
        id: '2010',
        statusCode: 400,
        messageType: 'Ogiltigt format',
        message: 'Ogiltigt format på civicNo.',
        attributeName: 'civicNo.value',
        attributeValue: CIVIC_NO,
        parameterValue: CIVIC_NO,
        resourceType: 'Person',
        severityLevel: 'Error',
      },
    ]);
    assert.deepEqual(message, {
      id: '2010',
      messageType: 'Ogiltigt format',
      message: 'Ogiltigt format på civicNo.',
      attributeName: 'civicNo.value',
      resourceType: 'Person',
    });
  });

  it('reads the open-data error shape', () => {
    assert.deepEqual(readSkolverketMessages({ code: 404, message: 'Organisation not found' }), [
      { id: '404', message: 'Organisation not found' },
    ]);
  });

  it('reads nothing from an empty body', () => {
    assert.deepEqual(readSkolverketMessages(undefined), []);
  });
});

describe('saysTokenInvalid', () => {
  it('recognises Skolverket 5002 "Ogiltigt JWT bearer token."', () => {
    assert.ok(saysTokenInvalid(readSkolverketMessages([{ id: '5002', message: 'Ogiltigt JWT bearer token.' }])));
  });

  it('does not take another 403 for a token problem', () => {
    assert.ok(!saysTokenInvalid(readSkolverketMessages([{ id: '5001', message: 'Behörighet saknas för skolenheten.' }])));
  });
});

describe('SkolverketApiError', () => {
  it('names the call, the status and what Skolverket said, without echoed values', () => {
    const messages = readSkolverketMessages([
      { id: '2010', message: 'Ogiltigt format.', attributeName: 'civicNo.value', attributeValue: CIVIC_NO },
    ]);
    const error = new SkolverketApiError('POST /persons/bulk', 400, messages);
    assert.equal(error.code, 'SKOLVERKET_API_ERROR');
    assert.equal(error.message, 'POST /persons/bulk answered 400: [2010] Ogiltigt format. (civicNo.value)');
    assert.ok(!error.message.includes(CIVIC_NO));
  });

  it('tells the caller to split a batch that is too large', () => {
    const error = new PayloadTooLargeError('POST /persons/bulk', [], 250_000);
    assert.equal(error.code, 'SKOLVERKET_PAYLOAD_TOO_LARGE');
    assert.equal(error.status, 413);
    assert.match(error.message, /split the batch/);
    assert.ok(error instanceof SkolverketApiError);
  });
});

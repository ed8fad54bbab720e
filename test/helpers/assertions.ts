import { expect } from 'vitest';

export interface SdkErrorData {
  status: number;
  statusText: string;
  message: string;
  details: Record<string, unknown>;
  requestId?: string;
}

/** Awaits a call of an official client that must fail, and checks Contentful's error id and status. */
export async function expectSdkError(promise: Promise<unknown>, status: number, id: string): Promise<SdkErrorData> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected a ${status} ${id}`).toBeInstanceOf(Error);
  const error = caught as Error;
  expect(error.name).toBe(id);
  const data = JSON.parse(error.message) as SdkErrorData;
  expect(data.status).toBe(status);
  return data;
}

/** Checks a raw HTTP response is a Contentful error with this status and id; returns the body. */
export async function expectErrorResponse(response: Response, status: number, id: string) {
  const body = (await response.json()) as { sys: { type: string; id: string }; message: string; details?: unknown; requestId: string };
  expect({ status: response.status, id: body.sys?.id, type: body.sys?.type }).toEqual({ status, id, type: 'Error' });
  expect(body.requestId).toBe(response.headers.get('x-contentful-request-id'));
  expect(typeof body.message).toBe('string');
  return body;
}

/** The `sys` Contentful gives a space's setting (a webhook signing secret, a retry policy): no id, the space, who wrote it when. */
export function expectedSettingSys(type: string, spaceId: string, userId: string, version: number) {
  const user = { sys: { type: 'Link', linkType: 'User', id: userId } };
  return {
    type,
    space: { sys: { type: 'Link', linkType: 'Space', id: spaceId } },
    version,
    createdAt: expect.any(String),
    createdBy: user,
    updatedAt: expect.any(String),
    updatedBy: user,
  };
}

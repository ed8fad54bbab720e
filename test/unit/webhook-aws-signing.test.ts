import { describe, expect, it } from 'vitest';
import { awsProxyProblem, awsTarget, signForAws } from '../../src/events/aws-signing.js';
import { canonicalRequest, hasValidSigV4, parseAuthorization, type ReceivedRequest, signingKey } from '../helpers/sigv4.js';

const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

describe('the independent SigV4 check of the tests', () => {
  // AWS's worked example of the signing process (IAM ListUsers, 2015-08-30), with its published values.
  const example: ReceivedRequest = {
    method: 'GET',
    path: '/?Action=ListUsers&Version=2010-05-08',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      host: 'iam.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    },
    body: '',
  };

  it("reproduces AWS's documented canonical request, signing key and signature", () => {
    const auth = parseAuthorization(String(example.headers.authorization));
    expect(canonicalRequest(example, auth.signedHeaders, auth.service)).toBe(
      [
        'GET',
        '/',
        'Action=ListUsers&Version=2010-05-08',
        'content-type:application/x-www-form-urlencoded; charset=utf-8',
        'host:iam.amazonaws.com',
        'x-amz-date:20150830T123600Z',
        '',
        'content-type;host;x-amz-date',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
    expect(signingKey(SECRET_ACCESS_KEY, '20150830', 'us-east-1', 'iam').toString('hex')).toBe(
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
    );
    expect(hasValidSigV4(example, SECRET_ACCESS_KEY)).toBe(true);
    expect(hasValidSigV4({ ...example, path: '/?Action=ListGroups&Version=2010-05-08' }, SECRET_ACCESS_KEY)).toBe(false);
    expect(hasValidSigV4(example, `${SECRET_ACCESS_KEY}x`)).toBe(false);
  });
});

describe('the AWS service and region a webhook URL names', () => {
  const cases: [string, string, string, string?][] = [
    ['https://sqs.us-east-1.amazonaws.com/123456789012/queue', 'sqs', 'us-east-1'],
    ['https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/f/invocations', 'lambda', 'eu-west-1'],
    ['https://a1b2c3d4e5.execute-api.ap-southeast-2.amazonaws.com/prod/hook', 'execute-api', 'ap-southeast-2'],
    ['https://my-bucket.s3.eu-central-1.amazonaws.com/key', 's3', 'eu-central-1'],
    ['https://my-bucket.s3.dualstack.us-west-2.amazonaws.com/key', 's3', 'us-west-2'],
    ['https://s3-us-west-2.amazonaws.com/my-bucket/key', 's3', 'us-west-2'],
    ['https://s3.amazonaws.com/my-bucket/key', 's3', 'us-east-1'],
    ['https://sts.amazonaws.com/', 'sts', 'us-east-1'],
    ['https://search-docs-abc123.us-east-1.es.amazonaws.com/index/_doc', 'es', 'us-east-1'],
    ['https://email.eu-west-1.amazonaws.com/', 'ses', 'eu-west-1'],
    ['https://sqs-fips.us-gov-west-1.amazonaws.com/1/q', 'sqs', 'us-gov-west-1'],
    ['https://sqs.cn-north-1.amazonaws.com.cn/1/q', 'sqs', 'cn-north-1'],
    [
      'https://sqs.us-east-1.awsproxy.contentful.com/123/queue?a=1',
      'sqs',
      'us-east-1',
      'https://sqs.us-east-1.amazonaws.com/123/queue?a=1',
    ],
    ['http://states.eu-north-1.awsproxy.contentful.com:8080/', 'states', 'eu-north-1', 'http://states.eu-north-1.amazonaws.com:8080/'],
  ];
  for (const [url, service, region, called = url] of cases) {
    it(`${url}: ${service} in ${region}`, () => {
      const target = awsTarget(new URL(url));
      expect(target && { service: target.service, region: target.region, url: target.url.href }).toEqual({ service, region, url: called });
    });
  }

  for (const url of ['https://example.com/', 'https://amazonaws.com/', 'https://notamazonaws.com/', 'https://awsproxy.contentful.com/']) {
    it(`${url}: none`, () => expect(awsTarget(new URL(url))).toBeUndefined());
  }

  it('says what an AWS webhook lacks', () => {
    const sqs = new URL('https://sqs.us-east-1.amazonaws.com/1/q');
    expect(awsProxyProblem(['x-contentful-aws-proxy-key-id', 'x-contentful-aws-proxy-secret'], sqs)).toBeUndefined();
    expect(awsProxyProblem(['x-contentful-aws-proxy-key-id'], sqs)).toContain('needs both');
    expect(awsProxyProblem(['x-contentful-aws-proxy-key-id', 'x-contentful-aws-proxy-secret'], new URL('https://example.com/'))).toContain(
      'must name an AWS service and region',
    );
  });
});

describe('Signature Version 4 signing of webhook calls', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET_ACCESS_KEY };
  const at = new Date('2025-03-04T05:06:07.890Z');

  /** The request as a receiver would get it from what the signer returns. */
  function received(signed: { url: string; headers: Record<string, string> }, method: string, body: string): ReceivedRequest {
    const url = new URL(signed.url);
    const headers = Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]));
    return { method, path: `${url.pathname}${url.search}`, headers, body };
  }

  it('signs every header given, the host, the date, the query and the body for the named service and region', () => {
    const target = awsTarget(new URL('https://sqs.eu-west-1.amazonaws.com/123456789012/events?Action=SendMessage&Version=2012-11-05'))!;
    const body = JSON.stringify({ MessageBody: 'published entry' });
    const signed = signForAws(
      target,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Contentful-Topic': 'ContentManagement.Entry.publish' },
        body,
      },
      credentials,
      at,
    );
    const request = received(signed, 'POST', body);
    expect(request.headers).toMatchObject({ host: 'sqs.eu-west-1.amazonaws.com', 'x-amz-date': '20250304T050607Z' });
    const auth = parseAuthorization(String(request.headers.authorization));
    expect(auth).toMatchObject({ accessKeyId: 'AKIDEXAMPLE', date: '20250304', region: 'eu-west-1', service: 'sqs' });
    expect(auth.signedHeaders).toEqual(['content-length', 'content-type', 'host', 'x-amz-date', 'x-contentful-topic']);
    expect(hasValidSigV4(request, SECRET_ACCESS_KEY)).toBe(true);
    expect(hasValidSigV4({ ...request, body: body.replace('published', 'deleted') }, SECRET_ACCESS_KEY)).toBe(false);
    expect(hasValidSigV4({ ...request, headers: { ...request.headers, 'x-contentful-topic': 'other' } }, SECRET_ACCESS_KEY)).toBe(false);
  });

  it('signs an S3 call with its payload hash header', () => {
    const target = awsTarget(new URL('https://my-bucket.s3.us-west-2.amazonaws.com/entries/1.json'))!;
    const signed = signForAws(target, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' }, credentials, at);
    const request = received(signed, 'PUT', '{"a":1}');
    expect(parseAuthorization(String(request.headers.authorization))).toMatchObject({ region: 'us-west-2', service: 's3' });
    expect(request.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(hasValidSigV4(request, SECRET_ACCESS_KEY)).toBe(true);
  });
});

import aws4 from 'aws4';

/**
 * The AWS Webhook Integration (seed 000, "AWS Webhook Integration"): a webhook whose headers carry
 * `X-Contentful-AWS-Proxy-Key-Id` and `X-Contentful-AWS-Proxy-Secret` is sent signed with AWS Signature
 * Version 4 for the service and region its URL names, with `X-Contentful-AWS-Proxy-Content-Type` as its
 * content type when given; the proxy headers themselves are not sent. Contentful signs in a proxy at
 * `awsproxy.contentful.com` ("Replace amazonaws.com with awsproxy.contentful.com in the webhook URL"); this
 * server signs itself, so such a URL is called at its `amazonaws.com` host.
 */
export const AWS_PROXY_KEY_ID = 'x-contentful-aws-proxy-key-id';
export const AWS_PROXY_SECRET = 'x-contentful-aws-proxy-secret';
export const AWS_PROXY_CONTENT_TYPE = 'x-contentful-aws-proxy-content-type';
export const AWS_PROXY_HEADERS = [AWS_PROXY_KEY_ID, AWS_PROXY_SECRET, AWS_PROXY_CONTENT_TYPE];

const PROXY_SUFFIX = '.awsproxy.contentful.com';
const AWS_SUFFIXES = ['.amazonaws.com', '.amazonaws.com.cn'];
/** us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ... */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** Endpoint prefixes whose signing name differs (`email` is SES). */
const SIGNING_NAMES: Record<string, string> = { email: 'ses' };
/** Endpoints without a region (`s3.amazonaws.com`, `sts.amazonaws.com`, `iam.amazonaws.com`) sign for this one. */
const GLOBAL_REGION = 'us-east-1';

export interface AwsTarget {
  /** The signing name of the service: `sqs`, `lambda`, `execute-api`, `s3`, ... */
  service: string;
  region: string;
  /** The URL called: the webhook's URL, at its `amazonaws.com` host when it named Contentful's proxy. */
  url: URL;
}

/**
 * The AWS service and region a URL names, from its host: `{service}.{region}.amazonaws.com`, with a
 * resource in front (`{api}.execute-api.{region}`, `{bucket}.s3.{region}`) or a `dualstack` label between,
 * `{domain}.{region}.es`, the dash form `s3-{region}`, a region-less global endpoint (`sts.amazonaws.com`),
 * `.amazonaws.com.cn`, and each of these under `.awsproxy.contentful.com`. Undefined for any other host.
 */
export function awsTarget(url: URL): AwsTarget | undefined {
  let host = url.hostname.toLowerCase();
  const target = new URL(url.href);
  if (host.endsWith(PROXY_SUFFIX)) {
    host = `${host.slice(0, -PROXY_SUFFIX.length)}.amazonaws.com`;
    target.hostname = host;
  }
  const suffix = AWS_SUFFIXES.find((s) => host.endsWith(s));
  if (!suffix || host.length === suffix.length) return undefined;
  const labels = host
    .slice(0, -suffix.length)
    .split('.')
    .filter((label) => label !== 'dualstack');
  let at = labels.length - 1;
  while (at >= 0 && !REGION.test(labels[at])) at--;
  let service: string | undefined;
  let region = GLOBAL_REGION;
  if (at >= 0) {
    region = labels[at];
    // `{service}.{region}` usually; `{domain}.{region}.{service}` for the search services.
    service = at === labels.length - 1 ? labels[at - 1] : labels[at + 1];
  } else {
    const last = labels[labels.length - 1];
    const dashed = /^([a-z0-9]+)-([a-z]{2}(?:-[a-z]+)+-\d+)$/.exec(last);
    service = dashed ? dashed[1] : last;
    if (dashed) region = dashed[2];
  }
  if (!service) return undefined;
  service = service.replace(/-fips$/, '');
  return { service: SIGNING_NAMES[service] ?? service, region, url: target };
}

/** Why a webhook's AWS proxy headers (given by their lowercase names) cannot be used with its URL; undefined when they can. */
export function awsProxyProblem(headerNames: readonly string[], url: URL): string | undefined {
  if (!headerNames.includes(AWS_PROXY_KEY_ID) || !headerNames.includes(AWS_PROXY_SECRET))
    return 'An AWS webhook needs both the X-Contentful-AWS-Proxy-Key-Id and the X-Contentful-AWS-Proxy-Secret header';
  if (!awsTarget(url))
    return 'An AWS webhook URL must name an AWS service and region, e.g. https://sqs.us-east-1.amazonaws.com/... or https://sqs.us-east-1.awsproxy.contentful.com/...';
  return undefined;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** X-Amz-Date's form of an instant: `20250101T120730Z`. */
const amzDate = (at: Date) => at.toISOString().replace(/[:-]|\.\d{3}/g, '');

/**
 * Signs a request to `target` with Signature Version 4 at the instant `at`: every header given is signed,
 * with `Host` and `X-Amz-Date` added (and `Content-Length` when there is a body, `X-Amz-Content-Sha256` for
 * S3). Returns the URL to call (its query in the signed encoding) and the headers to send.
 */
export function signForAws(
  target: AwsTarget,
  request: { method: string; headers: Record<string, string>; body: string | undefined },
  credentials: AwsCredentials,
  at: Date,
): { url: string; headers: Record<string, string> } {
  const signed = aws4.sign(
    {
      host: target.url.host,
      path: `${target.url.pathname}${target.url.search}`,
      method: request.method,
      headers: { ...request.headers, 'X-Amz-Date': amzDate(at) },
      body: request.body,
      service: target.service,
      region: target.region,
    },
    credentials,
  );
  const headers = Object.fromEntries(Object.entries(signed.headers ?? {}).map(([name, value]) => [name, String(value)]));
  return { url: new URL(signed.path ?? '/', target.url.origin).href, headers };
}

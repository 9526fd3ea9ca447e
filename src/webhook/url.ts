/**
 * True for an absolute http(s) URL with a host, such as `https://api.example.com/sms`: the
 * form a signed URL (Twilio) must take, as opposed to a request target (`/sms?x=1`).
 */
export function isAbsoluteUrl(text: string): boolean {
  return ABSOLUTE.test(text);
}

const ABSOLUTE = /^https?:\/\/[^/?#]/i;

/**
 * A connection URL safe to print: the password (and a user name that looks like a token)
 * replaced by `***`. Used in every error and log line that names a Redis URL, so a startup
 * failure never leaks credentials into logs.
 */
export function maskUrlCredentials(url: string): string {
  return url.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i,
    (_m, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      if (colon === -1) return `${scheme}***@`;
      return `${scheme}${userinfo.slice(0, colon)}:***@`;
    },
  );
}

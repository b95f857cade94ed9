/** What a PROVSYNC_STORE KurrentDB URL says: the client's connection string, and provsync's stream namespace. */
export interface KurrentDbLocation {
  /** The URL without provsync's own parameter, as the client parses it. */
  connectionString: string;
  /** Every provsync stream is stored as `<streamPrefix><stream>`; reads of $all keep to this prefix. */
  streamPrefix: string;
}

export const DEFAULT_STREAM_PREFIX = 'provsync-';
const SCHEMES = /^(kurrentdb|esdb)(\+discover)?:\/\//;
const PREFIX_PARAM = 'streamprefix';
// Stream names are free-form on the server; the prefix is kept to characters that need no escaping in a regex or a URL.
const PREFIX_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export const isKurrentDbUrl = (url: string): boolean => SCHEMES.test(url);

/**
 * Splits `kurrentdb://[user:password@]host[:port][,host…][?key=value&…]` (or `esdb://`, `+discover`) into the
 * client's connection string and provsync's `streamPrefix` parameter (default `provsync-`), which the client
 * itself does not know. Several provsync installations (or test runs) can share one server by prefix.
 */
export function parseKurrentDbUrl(url: string): KurrentDbLocation {
  if (!isKurrentDbUrl(url)) {
    throw new Error('PROVSYNC_STORE: a KurrentDB URL starts with kurrentdb://, kurrentdb+discover://, esdb:// or esdb+discover://');
  }
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return { connectionString: url, streamPrefix: DEFAULT_STREAM_PREFIX };
  let streamPrefix = DEFAULT_STREAM_PREFIX;
  const kept: string[] = [];
  for (const pair of url.slice(queryAt + 1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const key = equals < 0 ? pair : pair.slice(0, equals);
    if (key.toLowerCase().replace(/[_-]/g, '') !== PREFIX_PARAM) {
      kept.push(pair);
      continue;
    }
    streamPrefix = decodeURIComponent(equals < 0 ? '' : pair.slice(equals + 1));
    if (!PREFIX_SHAPE.test(streamPrefix)) {
      throw new Error(
        'PROVSYNC_STORE: streamPrefix must start with a letter or digit and hold only letters, digits and . _ : - (system streams start with $)',
      );
    }
  }
  const base = url.slice(0, queryAt);
  return { connectionString: kept.length ? `${base}?${kept.join('&')}` : base, streamPrefix };
}

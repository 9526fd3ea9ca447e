/**
 * The `Vary` value after adding `fields` (comma-separated) to what the response already
 * has: the app's own fields are kept, none is repeated (compared case-insensitively, RFC
 * 9110 section 12.5.5), and `*` stays `*`. A response without `Vary` simply gets `fields`,
 * with nothing allocated.
 */
export function mergeVary(current: unknown, fields: string): string {
  if (current === undefined || current === null || current === '') return fields;
  const text = Array.isArray(current)
    ? current.map(String).join(', ')
    : typeof current === 'string'
      ? current
      : JSON.stringify(current);
  const present = new Set<string>();
  for (const part of text.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '*') return '*';
    if (name !== '') present.add(name);
  }
  let out = text;
  for (const field of fields.split(',')) {
    const name = field.trim();
    if (name !== '' && !present.has(name.toLowerCase())) out += `, ${name}`;
  }
  return out;
}

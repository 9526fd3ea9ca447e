/** Command-line flags: `--name value`, `--name=value`, repeatable, plus `--help`. */
export interface ParsedArgs {
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly help: boolean;
}

/** A usage mistake: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses flags against the names a command accepts; anything else is a UsageError. */
export function parseArgs(argv: readonly string[], known: readonly string[]): ParsedArgs {
  const values = new Map<string, string[]>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!known.includes(name)) {
      throw new UsageError(
        `unknown option --${name}; known: ${known.map((k) => `--${k}`).join(', ')}`,
      );
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    const list = values.get(name) ?? [];
    list.push(value);
    values.set(name, list);
  }
  return { values, help };
}

/** The last value of a flag, or undefined. */
export function one(args: ParsedArgs, name: string): string | undefined {
  const list = args.values.get(name);
  return list?.[list.length - 1];
}

/** Every value of a repeatable flag. */
export function all(args: ParsedArgs, name: string): readonly string[] {
  return args.values.get(name) ?? [];
}

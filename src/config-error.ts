/** Thrown by `configFromEnv` and `corsFromEnv`: every bad variable, each with what was expected. */
export class ConfigError extends TypeError {
  /** One line per bad variable. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`bulwark: invalid configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

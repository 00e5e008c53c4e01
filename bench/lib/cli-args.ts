import { SIZES } from '../generator/plan';

/** The command-line options the focused benchmarks share: `--name value` and `--size XS|S|M|L`. */
export function cliArgs(argv: readonly string[] = process.argv.slice(2)) {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  /** `--size` (default S), refused unless one of `allowed`. */
  const size = (allowed: readonly (keyof typeof SIZES)[] = Object.keys(SIZES) as (keyof typeof SIZES)[]): keyof typeof SIZES => {
    const s = (value('size') ?? 'S').toUpperCase() as keyof typeof SIZES;
    if (!SIZES[s] || !allowed.includes(s)) throw new Error(`--size must be one of ${allowed.join(', ')}`);
    return s;
  };
  return { value, size, flag: (name: string) => argv.includes(`--${name}`) };
}

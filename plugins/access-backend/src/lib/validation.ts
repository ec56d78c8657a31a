import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** Parses input with a zod schema; a failure is a 400 naming each field and what is wrong. */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map(issue => {
      const path = issue.path.join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    });
    throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

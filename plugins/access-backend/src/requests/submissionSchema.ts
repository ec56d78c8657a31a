import {
  AccessItem,
  AccessTicket,
  DecisionBody,
  ExtendOptions,
  FavoriteBody,
  Resubmission,
  Submission,
  TaskCompletionBody,
} from '@jit-access/plugin-access-common';
import { z } from 'zod';
import { Equal, Expect } from '../lib/sameType';

/** Answers and other user-keyed maps: plain identifiers only (no `__proto__` and friends). */
const answerKey = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/,
    'answer keys are question ids (letters, digits, _ . -)',
  )
  .refine(
    key => !['__proto__', 'constructor', 'prototype'].includes(key),
    'reserved key',
  );

export const MAX_ITEMS_PER_SUBMISSION = 1000;

/** ISO-8601 with an offset, and a real instant (zod alone accepts offsets like +99:99). */
const dateTime = z
  .string()
  .datetime({ offset: true })
  .pipe(
    z
      .string()
      .refine(s => !Number.isNaN(Date.parse(s)), 'not a valid date and time'),
  );

export const itemSchema = z
  .object({
    resourceRef: z.string().min(1).max(255),
    permission: z.string().min(1).max(100),
  })
  .strict();

export const ticketSchema = z
  .object({
    type: z.string().min(1).max(64).optional(),
    id: z.string().min(1).max(255),
  })
  .strict();

const submissionFields = z
  .object({
    items: z.array(itemSchema).max(MAX_ITEMS_PER_SUBMISSION).optional(),
    bundle: z
      .object({
        id: z.string().min(1).max(255),
        items: z
          .array(itemSchema)
          .min(
            1,
            'pick at least one item of the bundle, or leave items out for all of it',
          )
          .max(MAX_ITEMS_PER_SUBMISSION)
          .optional(),
      })
      .strict()
      .optional(),
    granteeRef: z.string().min(1).max(255).optional(),
    flowId: z.string().min(1).max(255).optional(),
    duration: z.string().min(1).max(64).optional(),
    startAt: dateTime.optional(),
    endAt: dateTime.optional(),
    justification: z.string().max(4000).optional(),
    ticket: ticketSchema.optional(),
    answers: z.record(answerKey, z.string().max(2000)).optional(),
  })
  .strict();

/** The body of `POST /requests`. */
export const submissionSchema = submissionFields
  .refine(s => (s.items?.length ?? 0) > 0 || s.bundle, {
    message: 'give items, a bundle, or both',
    path: ['items'],
  })
  .refine(
    s =>
      (s.items?.length ?? 0) > MAX_ITEMS_PER_SUBMISSION ||
      (s.items?.length ?? 0) + (s.bundle?.items?.length ?? 0) <=
        MAX_ITEMS_PER_SUBMISSION,
    {
      message: `at most ${MAX_ITEMS_PER_SUBMISSION} items per submission`,
      path: ['items'],
    },
  )
  .refine(s => !(s.duration && s.endAt), {
    message: 'give a duration or an endAt, not both',
    path: ['endAt'],
  });

/** What may change when a request is asked again, or asked from a favorite. */
export const resubmissionSchema = submissionFields
  .pick({
    flowId: true,
    duration: true,
    startAt: true,
    endAt: true,
    justification: true,
    ticket: true,
    answers: true,
  })
  .strict()
  .refine(s => !(s.duration && s.endAt), {
    message: 'give a duration or an endAt, not both',
    path: ['endAt'],
  });

/** The body of `POST /favorites`. */
export const favoriteSchema = z
  .object({
    requestId: z.string().uuid('not a request id'),
    name: z.string().trim().min(1).max(255).optional(),
  })
  .strict();

/** The body of approve, reject, cancel and revoke. */
export const decisionSchema = z
  .object({
    reason: z
      .string()
      .max(124, 'a reason is at most 124 characters')
      .optional(),
  })
  .strict();

/** The body of `POST /requests/:id/extend`. */
export const extensionSchema = z
  .object({
    duration: z.string().min(1).max(64).optional(),
    endAt: dateTime.optional(),
    justification: z.string().max(4000).optional(),
  })
  .strict()
  .refine(s => !(s.duration && s.endAt), {
    message: 'give a duration or an endAt, not both',
    path: ['endAt'],
  })
  .refine(s => s.duration || s.endAt, {
    message: 'say how long to extend: a duration or an endAt',
    path: ['duration'],
  });

/** The body of `POST /tasks/:id/complete`. */
export const taskCompletionSchema = z
  .object({
    note: z.string().max(500, 'a note is at most 500 characters').optional(),
  })
  .strict();

// The schemas accept exactly the wire types of the common package: these fail compilation when
// a field is added, removed or retyped on one side only.
export type SchemasMatchWire = [
  Expect<Equal<z.infer<typeof itemSchema>, AccessItem>>,
  Expect<Equal<z.infer<typeof ticketSchema>, AccessTicket>>,
  Expect<Equal<z.infer<typeof submissionSchema>, Submission>>,
  Expect<Equal<z.infer<typeof resubmissionSchema>, Resubmission>>,
  Expect<Equal<z.infer<typeof favoriteSchema>, FavoriteBody>>,
  Expect<Equal<z.infer<typeof decisionSchema>, DecisionBody>>,
  Expect<Equal<z.infer<typeof extensionSchema>, ExtendOptions>>,
  Expect<Equal<z.infer<typeof taskCompletionSchema>, TaskCompletionBody>>,
];

/**
 * Compile-time checks that two types are the same (each assignable to the other, with the same
 * optional and readonly modifiers). Used to tie the input schemas to the wire types of the
 * common package: `Expect<Equal<z.infer<typeof schema>, WireType>>` fails compilation when a
 * field is added, removed or retyped on one side only.
 */
export type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <
  T,
>() => T extends Y ? 1 : 2
  ? true
  : false;

/** Compiles only when `T` is `true`. */
export type Expect<T extends true> = T;

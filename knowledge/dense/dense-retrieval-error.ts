/** Why dense retrieval could not start or continue; each code is documented in knowledge/dense/README.md. */
export type DenseRetrievalErrorCode =
  | 'DENSE_PACKAGE_MISSING'
  | 'DENSE_MODEL_FILES_MISSING'
  | 'DENSE_MODEL_INVALID'
  | 'DENSE_DIMENSIONS_MISMATCH';

/** An operator-facing error: the message says what is wrong and what to do about it. */
export class DenseRetrievalError extends Error {
  override readonly name = 'DenseRetrievalError';

  constructor(
    readonly code: DenseRetrievalErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Imports an optional dependency, turning "not installed" into a clear error instead of a
 * bare ERR_MODULE_NOT_FOUND; any other failure (a broken native binary) is passed on as is.
 */
export async function importOptionalPackage<T>(name: string, purpose: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new DenseRetrievalError(
        'DENSE_PACKAGE_MISSING',
        `${name} is not installed, but ${purpose} needs it: install the optional dependencies ` +
          `(npm ci without --omit=optional) or leave EMBEDDING_MODEL_DIR unset to run lexical retrieval only`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Refusals of the learning inbox and the synonym editor, with the HTTP status the server answers with. */
export const learningErrorStatus = {
  CLUSTER_NOT_FOUND: 404,
  ENTRY_NOT_FOUND: 404,
  ANSWER_NOT_FOUND: 404,
  SYNONYM_NOT_FOUND: 404,
  TERM_CONFLICT: 409,
  INVALID_LEARNING_INPUT: 400,
} as const;
export type LearningErrorCode = keyof typeof learningErrorStatus;

export class LearningError extends Error {
  constructor(
    readonly code: LearningErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LearningError';
  }
}

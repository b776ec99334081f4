/** Limits of hosted Q&A sessions, shared by the server's rules and the forms' hints. */
export const OFFICE_HOURS_LIMITS = {
  titleMin: 10,
  titleMax: 120,
  descriptionMin: 20,
  descriptionMax: 5000,
  questionMin: 10,
  questionMax: 1000,
  answerMax: 10_000,
  maxHours: 8,
  /**
   * How far ahead a session may start. Further is nearly always a typo in the year; its followers' reminder and the
   * upcoming list would mean nothing for years; and zones' daylight-saving rules are rarely settled that far ahead,
   * so the instant a typed time means could still change.
   */
  maxYearsAhead: 2,
  capMax: 20,
  tagsMax: 5,
} as const;

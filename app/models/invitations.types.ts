/** View types for "Ask a mentor" invitations and suggestions, shared by the model and its component. */

export type MentorSuggestion = {
  id: string;
  name: string;
  handle: string | null;
  matchingTags: string[];
  helpedSolve: number;
};

export type InvitationView = {
  inviteeId: string;
  name: string;
  handle: string | null;
  isDeclined: boolean;
  hasAnswered: boolean;
};

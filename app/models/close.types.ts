/** View types for closing questions (what a viewer may do, the votes so far), shared by the model and components. */
import type { CloseVoteKind } from "#db/schema";

export type CloseViewer = {
  canClose: boolean;
  canVoteClose: boolean;
  canReopen: boolean;
  canVoteReopen: boolean;
  canMerge: boolean;
  closeVotes: number;
  reopenVotes: number;
  needed: number;
  myVote: CloseVoteKind | null;
};

/**
 * An in-memory BM25F index over threads, for ranking: a question and its answers are one document with four fields
 * (title, tags, the question's body, the answers' bodies), each normalised by its own length, so a long thread does
 * not win by length and a short title match counts most. It reads the words PostgreSQL's 'english' configuration made
 * (the stored tsvector), so stemming and stop words are the database's. Every post that holds a searched word is
 * ranked: nothing is capped.
 *
 * Speed without capping (issue 15): a search touches every posting of its words, so the per-posting work runs over
 * typed arrays (a post's thread, kind, flags, votes and field lengths by slot) and per-search scratch arrays kept
 * between searches, with no maps, closures or allocation per match; the page is picked with a heap, not a full sort.
 * thread-index.reference.ts keeps the straightforward version, and the tests check both rank alike.
 */
import type { SearchKind } from "./types";

/** One indexed post: its search_documents row with the tsvector as text. */
export type IndexedPost = {
  id: number;
  kind: SearchKind;
  questionId: number | null;
  spaceSlug: string;
  tags: string[];
  isSolved: boolean;
  isUnanswered: boolean;
  isPlainLanguage: boolean;
  score: number;
  /** tsvector::text, e.g. `'vpn':1A,7C 'connect':2A`. */
  tsv: string;
};

/** One word of a query: its alternatives (the word, its correction, synonyms, completions); a post needs one of them. */
export type RankGroup = { alternatives: RankAlternative[] };
/** Lexemes that must all be in one post (a hyphenated word, a multi-word synonym); a prefix lexeme matches its completions. */
export type RankAlternative = { lexeme: string; isPrefix: boolean }[];

export type RankFilters = {
  kinds?: SearchKind[];
  spaceSlug?: string;
  tag?: string;
  isSolved?: boolean;
  isUnanswered?: boolean;
  isPlainLanguage?: boolean;
  /** Only these posts may match (those holding every quoted phrase, as the database found them). */
  onlyPosts?: Set<number>;
};

export type RankedThread = {
  /** The question when it may be shown, else the thread's best-matching post. */
  hitId: number;
  /** The thread's best-matching answer, when it is not the hit itself. */
  answerId: number | null;
};

export type RankResult = {
  total: number;
  threads: RankedThread[];
  facets: {
    kind: Record<string, number>;
    space: Record<string, number>;
    tag: Record<string, number>;
    solved: number;
    unanswered: number;
    plain: number;
  } | null;
};

const TITLE = 0;
const FIELDS = 4;
/**
 * BM25F weights and length normalisation per field (title, tags, question body, answers), and the saturation k1.
 * Chosen with `npm run bench:relevance` on a real Stack Exchange dump (duplicate and linked pairs): a title
 * word counts about three body words, the answers half of one, and titles are normalised less than bodies. k1 was
 * picked by the larger linked set's top 10 (0.75: 44 %; 0.9–1.6: 42–43 %): a word said again and again in a long
 * thread saturates sooner, so a thread that says "work" twenty times does not beat one about the searched thing.
 */
const WEIGHTS = [3, 1.5, 1, 0.5] as const;
const B = [0.5, 0.5, 0.75, 0.75] as const;
const K1 = 0.75;
/**
 * A title that holds the query's important words is what people mean ("vpn not working": a VPN title beats a long thread
 * that says "work" a lot and VPN once): up to this much more, by the share of the query's idf its title holds.
 */
const TITLE_COVERAGE = 1;
/**
 * Words the query puts side by side that a title also holds close together ("site name" in "Change the name of the
 * site"), much as Meilisearch's proximity rule counts them: each such pair adds this times the mean idf of its two
 * words. Close means at most PROXIMITY_WINDOW positions apart, either order (stop words count as positions). On the
 * Stack Exchange pairs it lifts MRR from 0.404 to 0.422 (duplicates) and 0.206 to 0.227 (linked).
 */
const PROXIMITY = 1;
const PROXIMITY_WINDOW = 3;
/** Title positions beyond this are not tracked for proximity (a title mask is one 32-bit number). */
const TITLE_POSITIONS = 32;
const KIND_BITS: Record<SearchKind, number> = { question: 1, answer: 2, howto: 4, discussion: 8, session: 16 };
/** The kinds in bit order (KIND_BITS[KINDS[k]] is 1 << k). */
const KINDS = Object.keys(KIND_BITS) as SearchKind[];
const SOLVED = 1;
const UNANSWERED = 2;
const PLAIN = 4;

type Post = {
  id: number;
  kind: SearchKind;
  thread: Thread;
  spaceSlug: string;
  tags: string[];
  /** Its space and distinct tags as ids in `State.spaceNames` and `State.tagNames` (for facets). */
  spaceId: number;
  tagIds: number[];
  isSolved: boolean;
  isUnanswered: boolean;
  isPlainLanguage: boolean;
  score: number;
  lengths: number[];
};

type Thread = {
  id: number;
  /** Index into the per-thread arrays. */
  slot: number;
  posts: Set<number>;
  lengths: number[];
};

/**
 * A lexeme's posts (by slot) with their packed field counts, and every position of the lexeme in each (any weight, for
 * quoted phrases): `counts[i]` + 1 positions per entry, one after another in `positions`. An entry whose counts are all
 * zero (the lexeme only in an answer's copy of its question's title, or in the space name) is there for phrases only.
 */
type Posting = {
  slots: Int32Array;
  tfs: Uint32Array;
  counts: Uint8Array;
  length: number;
  positions: Uint16Array;
  positionsLength: number;
  /** The posts holding the lexeme in their title (not an answer's copy of it), with its title positions as a bit mask. */
  titleSlots: Int32Array;
  titleMasks: Uint32Array;
  titleLength: number;
};

/** Everything an index holds, in one object so a rebuilt index can take over in one assignment. */
type State = {
  /** Post slots: a changed post gets a new slot, and its old one is dead until the postings are compacted. */
  slots: (Post | null)[];
  slotOf: Map<number, number>;
  threads: Map<number, Thread>;
  threadSlots: Thread[];
  freeThreadSlots: number[];
  postings: Map<string, Posting>;
  dead: number;
  totals: number[];
  vocabulary: string[] | null;
  /** Per post slot: its thread's slot (-1 when the slot is dead), kind bit, flags, votes and field lengths. */
  postThread: Int32Array;
  postKind: Uint8Array;
  postFlags: Uint8Array;
  postVotes: Float64Array;
  postLengths: Uint32Array;
  /** Per thread slot: its id and field lengths. */
  threadIds: Float64Array;
  threadLengths: Float64Array;
  /**
   * Per thread slot, what its facets count (the space and tags of its question, else of its first post): the space id
   * (-1: none, STALE: to be looked up again after a change) and the tag ids.
   */
  threadSpace: Int32Array;
  threadTags: number[][];
  spaceNames: string[];
  spaceIdOf: Map<string, number>;
  tagNames: string[];
  tagIdOf: Map<string, number>;
};

const STALE = -2;

function emptyState(): State {
  return {
    slots: [],
    slotOf: new Map(),
    threads: new Map(),
    threadSlots: [],
    freeThreadSlots: [],
    postings: new Map(),
    dead: 0,
    totals: [0, 0, 0, 0],
    vocabulary: null,
    postThread: new Int32Array(0),
    postKind: new Uint8Array(0),
    postFlags: new Uint8Array(0),
    postVotes: new Float64Array(0),
    postLengths: new Uint32Array(0),
    threadIds: new Float64Array(0),
    threadLengths: new Float64Array(0),
    threadSpace: new Int32Array(0),
    threadTags: [],
    spaceNames: [],
    spaceIdOf: new Map(),
    tagNames: [],
    tagIdOf: new Map(),
  };
}

/** A typed array of at least `size` entries holding `array`'s values (grown by half again, so appends stay cheap). */
function grown<T extends Int32Array | Uint8Array | Uint16Array | Uint32Array | Float64Array>(
  array: T,
  size: number,
  make: (n: number) => T,
): T {
  if (array.length >= size) return array;
  const next = make(Math.max(size, Math.ceil(array.length * 1.5), 64));
  next.set(array);
  return next;
}

/**
 * Arrays one search works in, kept between searches (a search is synchronous, so one set per index serves all) and
 * left zeroed by each search for the next: per thread slot, per post slot, and lists of what was touched.
 */
class Scratch {
  threads = 0;
  posts = 0;
  score = new Float64Array(0);
  field = new Float64Array(0);
  touchedInGroup = new Uint8Array(0);
  matched = new Uint8Array(0);
  kindBits = new Uint8Array(0);
  solved = new Uint8Array(0);
  allUnanswered = new Uint8Array(0);
  plain = new Uint8Array(0);
  bestVotes = new Float64Array(0);
  titleIdf = new Float64Array(0);
  /** Per thread: the idf of the query's neighbouring word pairs its title holds close together. */
  nearIdf = new Float64Array(0);
  candidates = new Int32Array(0);
  touched = new Int32Array(0);
  postField = new Float64Array(0);
  postInGroup = new Uint8Array(0);
  postScore = new Float64Array(0);
  postScored = new Uint8Array(0);
  touchedPosts = new Int32Array(0);
  scoredPosts = new Int32Array(0);
  /** An alternative of several lexemes: how many of them each post holds so far, and their smallest counts. */
  seen = new Int32Array(0);
  here = new Uint32Array(0);
  common = new Uint32Array(0);
  firstTerm = new Int32Array(0);
  termList = new Int32Array(0);
  /** Per post slot, the title positions of the current and the previous word of the query, and the slots set. */
  groupMask = new Uint32Array(0);
  previousMask = new Uint32Array(0);
  groupMasked = new Int32Array(0);
  previousMasked = new Int32Array(0);
  /** The matches of one alternative: post slot and packed field counts. */
  matchSlots = new Int32Array(0);
  matchPacked = new Uint32Array(0);

  fit(threads: number, posts: number): void {
    if (threads > this.threads) {
      const n = Math.max(threads, Math.ceil(this.threads * 1.25));
      this.threads = n;
      this.score = new Float64Array(n);
      this.field = new Float64Array(n * FIELDS);
      this.touchedInGroup = new Uint8Array(n);
      this.matched = new Uint8Array(n);
      this.kindBits = new Uint8Array(n);
      this.solved = new Uint8Array(n);
      this.allUnanswered = new Uint8Array(n);
      this.plain = new Uint8Array(n);
      this.bestVotes = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
      this.titleIdf = new Float64Array(n);
      this.nearIdf = new Float64Array(n);
      this.candidates = new Int32Array(n);
      this.touched = new Int32Array(n);
    }
    if (posts > this.posts) {
      const n = Math.max(posts, Math.ceil(this.posts * 1.25));
      this.posts = n;
      this.postField = new Float64Array(n);
      this.postInGroup = new Uint8Array(n);
      this.postScore = new Float64Array(n);
      this.postScored = new Uint8Array(n);
      this.groupMask = new Uint32Array(n);
      this.previousMask = new Uint32Array(n);
      this.groupMasked = new Int32Array(n);
      this.previousMasked = new Int32Array(n);
      this.touchedPosts = new Int32Array(n);
      this.scoredPosts = new Int32Array(n);
      this.seen = new Int32Array(n);
      this.here = new Uint32Array(n);
      this.common = new Uint32Array(n);
      this.firstTerm = new Int32Array(n);
      this.termList = new Int32Array(n);
    }
  }

  fitMatches(n: number): void {
    if (this.matchSlots.length >= n) return;
    const size = Math.max(n, Math.ceil(this.matchSlots.length * 1.5), 1024);
    this.matchSlots = new Int32Array(size);
    this.matchPacked = new Uint32Array(size);
  }
}

const LEXEME = /'((?:[^']|'')*)'(?::([0-9A-D,]+))?/g;

type ParsedLexeme = { packed: number; positions: number[]; titleMask: number };

/** Per lexeme, how often it occurs in each field (title, tags, body, or answers for an answer), packed, and its positions. */
function parseTsvector(tsv: string, isAnswer: boolean): { counts: Map<string, ParsedLexeme>; lengths: number[] } {
  const counts = new Map<string, ParsedLexeme>();
  const lengths = [0, 0, 0, 0];
  const bodyField = isAnswer ? 3 : 2;
  for (const match of tsv.matchAll(LEXEME)) {
    const raw = match[1] ?? "";
    const lexeme = raw.includes("''") ? raw.replace(/''/g, "'") : raw;
    const positions = match[2];
    if (!lexeme || !positions) continue;
    let title = 0;
    let tags = 0;
    let body = 0;
    const at: number[] = [];
    let titleMask = 0;
    let position = 0;
    // Positions are digits and a weight letter (none for D), separated by commas.
    for (let i = 0; i <= positions.length; i++) {
      const code = i < positions.length ? positions.charCodeAt(i) : 44;
      if (code >= 48 && code <= 57) {
        position = position * 10 + (code - 48);
        continue;
      }
      if (code === 44) {
        at.push(position);
        position = 0;
        continue;
      }
      // An answer's document repeats its question's title and tags: they count once, on the question.
      if (code === 65 && !isAnswer) {
        title += 1;
        if (position < TITLE_POSITIONS) titleMask = (titleMask | (1 << position)) >>> 0;
      } else if (code === 66 && !isAnswer) tags += 1;
      else if (code === 67) body += 1;
    }
    const tf = [title, tags, 0, 0];
    tf[bodyField] = body;
    counts.set(lexeme, {
      packed: title + tags + body === 0 ? 0 : pack(tf),
      positions: at.slice(0, 256),
      titleMask,
    });
    for (let f = 0; f < FIELDS; f++) lengths[f] = (lengths[f] ?? 0) + (tf[f] ?? 0);
  }
  return { counts, lengths };
}

/** Field counts packed into one number (each at most 255; a tsvector keeps at most 256 positions per lexeme anyway). */
function pack(tf: number[]): number {
  return (
    (Math.min(tf[0] ?? 0, 255) |
      (Math.min(tf[1] ?? 0, 255) << 8) |
      (Math.min(tf[2] ?? 0, 255) << 16) |
      (Math.min(tf[3] ?? 0, 255) << 24)) >>>
    0
  );
}

/** One lexeme of a quoted phrase and how many positions after the phrase's first lexeme it must stand. */
type PhraseTerm = { lexeme: string; offset: number };

const PHRASE_LEXEME = /^'((?:[^'\\]|'')*)'$/;

/**
 * A phrase's tsquery text as phraseto_tsquery writes it (lexemes joined by `<->` or `<N>`, read left to right as
 * PostgreSQL does), or null for any other shape.
 */
export function parsePhrase(tsq: string): PhraseTerm[] | null {
  const parts = tsq.trim().split(/\s*<(-|\d+)>\s*/);
  const terms: PhraseTerm[] = [];
  let offset = 0;
  for (let i = 0; i < parts.length; i += 2) {
    if (i > 0) offset += parts[i - 1] === "-" ? 1 : Number(parts[i - 1]);
    const match = PHRASE_LEXEME.exec(parts[i] ?? "");
    if (!match) return null;
    terms.push({ lexeme: (match[1] ?? "").replace(/''/g, "'"), offset });
  }
  return terms.length > 0 ? terms : null;
}

function byText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export class ThreadIndex {
  private state: State = emptyState();
  private scratch = new Scratch();
  /** Within one search: a prefix term's postings. */
  private prefixPostings = new Map<{ lexeme: string; isPrefix: boolean }, Posting[]>();

  /** Live posts. */
  get size(): number {
    return this.state.slotOf.size;
  }

  /** Takes over another index's contents (one built aside while this one kept answering). */
  replaceWith(other: ThreadIndex): void {
    this.state = other.state;
  }

  clear(): void {
    this.state = emptyState();
  }

  /** A name's number in a list of names (tags, spaces), added when new. */
  private static idOf(name: string, names: string[], ids: Map<string, number>): number {
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      names.push(name);
      ids.set(name, id);
    }
    return id;
  }

  upsert(post: IndexedPost): void {
    this.remove(post.id);
    const state = this.state;
    const threadId =
      post.kind === "answer" && post.questionId !== null && post.questionId > 0 ? post.questionId : post.id;
    let thread = state.threads.get(threadId);
    if (!thread) {
      const slot = state.freeThreadSlots.pop() ?? state.threadSlots.length;
      thread = { id: threadId, slot, posts: new Set(), lengths: [0, 0, 0, 0] };
      state.threads.set(threadId, thread);
      state.threadSlots[slot] = thread;
      state.threadIds = grown(state.threadIds, slot + 1, (n) => new Float64Array(n));
      state.threadLengths = grown(state.threadLengths, (slot + 1) * FIELDS, (n) => new Float64Array(n));
      state.threadSpace = grown(state.threadSpace, slot + 1, (n) => new Int32Array(n));
      state.threadIds[slot] = threadId;
      state.threadLengths.fill(0, slot * FIELDS, (slot + 1) * FIELDS);
    }
    const { counts, lengths } = parseTsvector(post.tsv, post.kind === "answer");
    const slot = state.slots.length;
    state.slots.push({
      id: post.id,
      kind: post.kind,
      thread,
      spaceSlug: post.spaceSlug,
      tags: post.tags,
      spaceId: ThreadIndex.idOf(post.spaceSlug, state.spaceNames, state.spaceIdOf),
      tagIds: [...new Set(post.tags)].map((name) => ThreadIndex.idOf(name, state.tagNames, state.tagIdOf)),
      isSolved: post.isSolved,
      isUnanswered: post.isUnanswered,
      isPlainLanguage: post.isPlainLanguage,
      score: post.score,
      lengths,
    });
    state.slotOf.set(post.id, slot);
    thread.posts.add(post.id);
    state.threadSpace[thread.slot] = STALE;
    state.postThread = grown(state.postThread, slot + 1, (n) => new Int32Array(n));
    state.postKind = grown(state.postKind, slot + 1, (n) => new Uint8Array(n));
    state.postFlags = grown(state.postFlags, slot + 1, (n) => new Uint8Array(n));
    state.postVotes = grown(state.postVotes, slot + 1, (n) => new Float64Array(n));
    state.postLengths = grown(state.postLengths, (slot + 1) * FIELDS, (n) => new Uint32Array(n));
    state.postThread[slot] = thread.slot;
    state.postKind[slot] = KIND_BITS[post.kind];
    state.postFlags[slot] =
      (post.isSolved ? SOLVED : 0) | (post.isUnanswered ? UNANSWERED : 0) | (post.isPlainLanguage ? PLAIN : 0);
    state.postVotes[slot] = post.score;
    for (let f = 0; f < FIELDS; f++) {
      const length = lengths[f] ?? 0;
      state.postLengths[slot * FIELDS + f] = length;
      thread.lengths[f] = (thread.lengths[f] ?? 0) + length;
      state.threadLengths[thread.slot * FIELDS + f] = thread.lengths[f] ?? 0;
      state.totals[f] = (state.totals[f] ?? 0) + length;
    }
    for (const [lexeme, { packed, positions, titleMask }] of counts) {
      let posting = state.postings.get(lexeme);
      if (!posting) {
        posting = {
          slots: new Int32Array(4),
          tfs: new Uint32Array(4),
          counts: new Uint8Array(4),
          length: 0,
          positions: new Uint16Array(8),
          positionsLength: 0,
          titleSlots: new Int32Array(0),
          titleMasks: new Uint32Array(0),
          titleLength: 0,
        };
        state.postings.set(lexeme, posting);
        state.vocabulary = null;
      }
      if (posting.length === posting.slots.length) {
        posting.slots = grown(posting.slots, posting.length * 2, (n) => new Int32Array(n));
        posting.tfs = grown(posting.tfs, posting.length * 2, (n) => new Uint32Array(n));
        posting.counts = grown(posting.counts, posting.length * 2, (n) => new Uint8Array(n));
      }
      posting.slots[posting.length] = slot;
      posting.tfs[posting.length] = packed;
      posting.counts[posting.length] = positions.length - 1;
      posting.length += 1;
      const end = posting.positionsLength + positions.length;
      if (end > posting.positions.length)
        posting.positions = grown(posting.positions, end * 2, (n) => new Uint16Array(n));
      posting.positions.set(positions, posting.positionsLength);
      posting.positionsLength = end;
      if (titleMask !== 0) {
        // Most lexemes stand in few titles: start small (grown() starts at 64) and double.
        if (posting.titleLength === posting.titleSlots.length) {
          const size = Math.max(2, posting.titleLength * 2);
          posting.titleSlots = grown(posting.titleSlots, size, () => new Int32Array(size));
          posting.titleMasks = grown(posting.titleMasks, size, () => new Uint32Array(size));
        }
        posting.titleSlots[posting.titleLength] = slot;
        posting.titleMasks[posting.titleLength] = titleMask;
        posting.titleLength += 1;
      }
    }
  }

  /** Gives back the room the postings grew into while loading (they grow by doubling); later changes grow them again. */
  trim(): void {
    for (const posting of this.state.postings.values()) {
      if (posting.slots.length > posting.length) {
        posting.slots = posting.slots.slice(0, posting.length);
        posting.tfs = posting.tfs.slice(0, posting.length);
        posting.counts = posting.counts.slice(0, posting.length);
      }
      if (posting.positions.length > posting.positionsLength)
        posting.positions = posting.positions.slice(0, posting.positionsLength);
      if (posting.titleSlots.length > posting.titleLength) {
        posting.titleSlots = posting.titleSlots.slice(0, posting.titleLength);
        posting.titleMasks = posting.titleMasks.slice(0, posting.titleLength);
      }
    }
  }

  remove(id: number): void {
    const state = this.state;
    const slot = state.slotOf.get(id);
    if (slot === undefined) return;
    const post = state.slots[slot];
    state.slots[slot] = null;
    state.postThread[slot] = -1;
    state.slotOf.delete(id);
    state.dead += 1;
    if (!post) return;
    const thread = post.thread;
    thread.posts.delete(id);
    state.threadSpace[thread.slot] = STALE;
    for (let f = 0; f < FIELDS; f++) {
      thread.lengths[f] = (thread.lengths[f] ?? 0) - (post.lengths[f] ?? 0);
      state.threadLengths[thread.slot * FIELDS + f] = thread.lengths[f] ?? 0;
      state.totals[f] = (state.totals[f] ?? 0) - (post.lengths[f] ?? 0);
    }
    if (thread.posts.size === 0) {
      state.threads.delete(thread.id);
      state.freeThreadSlots.push(thread.slot);
    }
    // Dead entries are skipped while ranking; once they are a fifth of all, the postings are rewritten without them.
    if (state.dead > 1000 && state.dead > state.slotOf.size / 4) this.compact();
  }

  /** Rewrites the postings without dead slots (and renumbers the live ones densely, with their per-slot arrays). */
  private compact(): void {
    const state = this.state;
    const renumber = new Int32Array(state.slots.length).fill(-1);
    const slots: (Post | null)[] = [];
    const live = state.slotOf.size;
    const postThread = new Int32Array(live);
    const postKind = new Uint8Array(live);
    const postFlags = new Uint8Array(live);
    const postVotes = new Float64Array(live);
    const postLengths = new Uint32Array(live * FIELDS);
    state.slots.forEach((post, old) => {
      if (!post) return;
      const next = slots.length;
      renumber[old] = next;
      state.slotOf.set(post.id, next);
      slots.push(post);
      postThread[next] = state.postThread[old] ?? -1;
      postKind[next] = state.postKind[old] ?? 0;
      postFlags[next] = state.postFlags[old] ?? 0;
      postVotes[next] = state.postVotes[old] ?? 0;
      postLengths.set(state.postLengths.subarray(old * FIELDS, (old + 1) * FIELDS), next * FIELDS);
    });
    for (const [lexeme, posting] of state.postings) {
      let n = 0;
      let read = 0;
      let written = 0;
      for (let i = 0; i < posting.length; i++) {
        const count = (posting.counts[i] ?? 0) + 1;
        const next = renumber[posting.slots[i] ?? 0] ?? -1;
        if (next >= 0) {
          posting.slots[n] = next;
          posting.tfs[n] = posting.tfs[i] ?? 0;
          posting.counts[n] = posting.counts[i] ?? 0;
          posting.positions.copyWithin(written, read, read + count);
          written += count;
          n += 1;
        }
        read += count;
      }
      posting.length = n;
      posting.positionsLength = written;
      let titles = 0;
      for (let i = 0; i < posting.titleLength; i++) {
        const next = renumber[posting.titleSlots[i] ?? 0] ?? -1;
        if (next < 0) continue;
        posting.titleSlots[titles] = next;
        posting.titleMasks[titles] = posting.titleMasks[i] ?? 0;
        titles += 1;
      }
      posting.titleLength = titles;
      if (n === 0) {
        state.postings.delete(lexeme);
        state.vocabulary = null;
      }
    }
    state.slots = slots;
    state.postThread = postThread;
    state.postKind = postKind;
    state.postFlags = postFlags;
    state.postVotes = postVotes;
    state.postLengths = postLengths;
    state.dead = 0;
  }

  /** The indexed lexemes beginning with `prefix` (a sorted vocabulary is kept until a new lexeme arrives). */
  private lexemesStartingWith(prefix: string): string[] {
    const state = this.state;
    state.vocabulary ??= [...state.postings.keys()].sort();
    const vocabulary = state.vocabulary;
    let low = 0;
    let high = vocabulary.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((vocabulary[mid] ?? "") < prefix) low = mid + 1;
      else high = mid;
    }
    const found: string[] = [];
    for (let i = low; i < vocabulary.length && (vocabulary[i] ?? "").startsWith(prefix); i++)
      found.push(vocabulary[i] ?? "");
    return found;
  }

  private postingsOf(term: { lexeme: string; isPrefix: boolean }): Posting[] {
    const postings = this.state.postings;
    if (!term.isPrefix) {
      const posting = postings.get(term.lexeme);
      return posting ? [posting] : [];
    }
    // A prefix's completions are looked up once per search (matching and proximity both read them).
    const known = this.prefixPostings.get(term);
    if (known) return known;
    const found = this.lexemesStartingWith(term.lexeme).flatMap((lexeme) => postings.get(lexeme) ?? []);
    this.prefixPostings.set(term, found);
    return found;
  }

  /**
   * Puts every live post holding the alternative (all its lexemes) into the scratch match arrays, with its packed
   * field counts; returns how many there are and how many documents that counts for the word's idf.
   */
  private collectMatches(alternative: RankAlternative): number {
    const scratch = this.scratch;
    const postThread = this.state.postThread;
    const first = alternative[0];
    if (!first) return 0;
    if (alternative.length === 1) {
      const postings = this.postingsOf(first);
      let size = 0;
      for (const posting of postings) size += posting.length;
      scratch.fitMatches(size);
      const matchSlots = scratch.matchSlots;
      const matchPacked = scratch.matchPacked;
      let n = 0;
      // Live posts only: a changed post's old entries wait for compaction and must not count.
      for (const posting of postings) {
        const slots = posting.slots;
        const tfs = posting.tfs;
        for (let i = 0; i < posting.length; i++) {
          const slot = slots[i] as number;
          const packed = tfs[i] as number;
          // Entries kept for phrases only (all counts zero) do not match words.
          if (packed === 0 || (postThread[slot] as number) < 0) continue;
          matchSlots[n] = slot;
          matchPacked[n] = packed;
          n += 1;
        }
      }
      return n;
    }
    // All lexemes in one post: the smallest count per field stands for the whole. seen[slot] = k once the post held the
    // first k lexemes (k + 1 while the k-th is read: a prefix's later completion then replaces the counts it read).
    const { seen, here, common, firstTerm, termList } = scratch;
    let firstCount = 0;
    let listCount = 0;
    alternative.forEach((term, k) => {
      listCount = 0;
      for (const posting of this.postingsOf(term)) {
        const slots = posting.slots;
        const tfs = posting.tfs;
        for (let i = 0; i < posting.length; i++) {
          const slot = slots[i] as number;
          if (tfs[i] === 0 || (postThread[slot] as number) < 0) continue;
          const state = seen[slot] as number;
          if (state === k) {
            seen[slot] = k + 1;
            termList[listCount] = slot;
            listCount += 1;
            if (k === 0) {
              firstTerm[firstCount] = slot;
              firstCount += 1;
            }
          } else if (state !== k + 1) continue;
          here[slot] = tfs[i] as number;
        }
      }
      for (let i = 0; i < listCount; i++) {
        const slot = termList[i] as number;
        const packed = here[slot] as number;
        if (k === 0) {
          common[slot] = packed;
          continue;
        }
        const before = common[slot] as number;
        let merged = 0;
        for (let shift = 0; shift < 32; shift += 8)
          merged |= Math.min((packed >>> shift) & 255, (before >>> shift) & 255) << shift;
        common[slot] = merged >>> 0;
      }
    });
    scratch.fitMatches(listCount);
    for (let i = 0; i < listCount; i++) {
      const slot = termList[i] as number;
      scratch.matchSlots[i] = slot;
      scratch.matchPacked[i] = common[slot] as number;
    }
    for (let i = 0; i < firstCount; i++) seen[firstTerm[i] as number] = 0;
    return listCount;
  }

  /**
   * The posts holding every quoted phrase (tsquery text from phraseto_tsquery), found from the stored positions as
   * PostgreSQL's `tsv @@ phrase` finds them; null when a phrase has another shape (the database must answer then).
   */
  postsWithPhrases(phrases: string[]): Set<number> | null {
    const parsed: PhraseTerm[][] = [];
    for (const phrase of phrases) {
      const terms = parsePhrase(phrase);
      if (!terms) return null;
      parsed.push(terms);
    }
    const [first, ...rest] = parsed.map((terms) => this.postsWithPhrase(terms));
    return new Set([...(first ?? [])].filter((id) => rest.every((other) => other.has(id))));
  }

  private postsWithPhrase(terms: PhraseTerm[]): Set<number> {
    const state = this.state;
    const found = new Set<number>();
    const postings: Posting[] = [];
    for (const term of terms) {
      const posting = state.postings.get(term.lexeme);
      if (!posting) return found;
      postings.push(posting);
    }
    // The rarest lexeme's posts are tried; for the others, where each post's positions start (+1) and how many.
    let driver = 0;
    postings.forEach((posting, i) => {
      if (posting.length < (postings[driver]?.length ?? 0)) driver = i;
    });
    const size = state.slots.length;
    const starts = postings.map(() => new Int32Array(size));
    const counts = postings.map(() => new Uint16Array(size));
    const postThread = state.postThread;
    postings.forEach((posting, i) => {
      if (i === driver) return;
      const start = starts[i] as Int32Array;
      const count = counts[i] as Uint16Array;
      let offset = 0;
      for (let e = 0; e < posting.length; e++) {
        const slot = posting.slots[e] as number;
        const n = (posting.counts[e] as number) + 1;
        if ((postThread[slot] as number) >= 0) {
          start[slot] = offset + 1;
          count[slot] = n;
        }
        offset += n;
      }
    });
    const lead = postings[driver] as Posting;
    const leadOffset = terms[driver]?.offset ?? 0;
    let offset = 0;
    for (let e = 0; e < lead.length; e++) {
      const slot = lead.slots[e] as number;
      const n = (lead.counts[e] as number) + 1;
      const from = offset;
      offset += n;
      if ((postThread[slot] as number) < 0) continue;
      if (postings.some((_, i) => i !== driver && starts[i]?.[slot] === 0)) continue;
      for (let p = from; p < from + n; p++) {
        const first = (lead.positions[p] as number) - leadOffset;
        const holds = terms.every((term, i) => {
          if (i === driver) return true;
          const start = (starts[i]?.[slot] ?? 1) - 1;
          const end = start + (counts[i]?.[slot] ?? 0);
          const positions = postings[i]?.positions;
          for (let q = start; q < end; q++) if (positions?.[q] === first + term.offset) return true;
          return false;
        });
        if (holds) {
          found.add(state.slots[slot]?.id ?? 0);
          break;
        }
      }
    }
    return found;
  }

  /** A predicate over post slots for the filters, or null when nothing is filtered. */
  private filterOf(filters: RankFilters): ((slot: number) => boolean) | null {
    const state = this.state;
    let kindMask = 0;
    for (const kind of filters.kinds ?? []) kindMask |= KIND_BITS[kind];
    let flagMask = 0;
    let flagValue = 0;
    const flag = (value: boolean | undefined, bit: number) => {
      if (value === undefined) return;
      flagMask |= bit;
      if (value) flagValue |= bit;
    };
    flag(filters.isSolved, SOLVED);
    flag(filters.isUnanswered, UNANSWERED);
    flag(filters.isPlainLanguage, PLAIN);
    const { spaceSlug, tag, onlyPosts } = filters;
    if (kindMask === 0 && flagMask === 0 && spaceSlug === undefined && tag === undefined && !onlyPosts) return null;
    // The allowed posts by slot: one array read per match instead of a post object and a set look-up.
    let allowed: Uint8Array | null = null;
    if (onlyPosts) {
      allowed = new Uint8Array(state.slots.length);
      for (const id of onlyPosts) {
        const slot = state.slotOf.get(id);
        if (slot !== undefined) allowed[slot] = 1;
      }
    }
    const only = allowed;
    return (slot) => {
      if (only && only[slot] === 0) return false;
      if (kindMask !== 0 && ((state.postKind[slot] as number) & kindMask) === 0) return false;
      if (((state.postFlags[slot] as number) & flagMask) !== flagValue) return false;
      if (spaceSlug === undefined && tag === undefined) return true;
      const post = state.slots[slot];
      if (!post) return false;
      if (spaceSlug !== undefined && post.spaceSlug !== spaceSlug) return false;
      if (tag !== undefined && !post.tags.includes(tag)) return false;
      return true;
    };
  }

  /** Looks up again what a changed thread's facets count: its question's space and tags, else its first post's. */
  private refreshFacetsOf(t: number): void {
    const state = this.state;
    const thread = state.threadSlots[t];
    const firstId = thread?.posts.has(thread.id) ? thread.id : thread?.posts.values().next().value;
    const slot = firstId === undefined ? undefined : state.slotOf.get(firstId);
    const main = slot === undefined ? null : state.slots[slot];
    state.threadSpace[t] = main ? main.spaceId : -1;
    state.threadTags[t] = main ? main.tagIds : [];
  }

  /**
   * Ranks every thread holding any of the words (BM25F; rarer words weigh more), then a solved or well-voted thread
   * gets at most a quarter more. Returns the page asked for, the number of matching threads and, when asked, facets.
   */
  rank(
    groups: RankGroup[],
    filters: RankFilters,
    page: { offset: number; limit: number; withFacets: boolean },
  ): RankResult {
    const state = this.state;
    const scratch = this.scratch;
    scratch.fit(state.threadSlots.length, state.slots.length);
    let candidateCount = 0;
    let scoredCount = 0;
    let previousCount = 0;
    try {
      const liveThreads = Math.max(state.threads.size, 1);
      const posts = Math.max(state.slotOf.size, 1);
      const averages = state.totals.map((total) => Math.max(total / liveThreads, 1));
      const average0 = averages[0] ?? 1;
      const average1 = averages[1] ?? 1;
      const average2 = averages[2] ?? 1;
      const average3 = averages[3] ?? 1;
      const { score, field, touchedInGroup, matched, kindBits, solved, allUnanswered, plain, bestVotes, titleIdf } =
        scratch;
      const { candidates, touched, postField, postInGroup, postScore, postScored, touchedPosts, scoredPosts } = scratch;
      const { postThread, postKind, postFlags, postVotes, postLengths, threadLengths } = state;
      const passes = this.filterOf(filters);
      let queryIdf = 0;
      const { nearIdf } = scratch;
      let { groupMask, previousMask, groupMasked, previousMasked } = scratch;
      let previousIdf = 0;

      for (const group of groups) {
        let touchedCount = 0;
        let touchedPostCount = 0;
        let documents = 0;
        for (const alternative of group.alternatives) {
          const count = this.collectMatches(alternative);
          documents += count;
          const matchSlots = scratch.matchSlots;
          const matchPacked = scratch.matchPacked;
          for (let i = 0; i < count; i++) {
            const slot = matchSlots[i] as number;
            if (passes && !passes(slot)) continue;
            const packed = matchPacked[i] as number;
            const t = postThread[slot] as number;
            if (touchedInGroup[t] === 0) {
              touchedInGroup[t] = 1;
              touched[touchedCount] = t;
              touchedCount += 1;
            }
            if (matched[t] === 0) {
              matched[t] = 1;
              candidates[candidateCount] = t;
              candidateCount += 1;
              allUnanswered[t] = 1;
            }
            // The same arithmetic, in the same order, as the reference: equal scores stay equal, so ties break alike.
            let own = 0;
            const at = t * FIELDS;
            const lengthAt = slot * FIELDS;
            const tf0 = packed & 255;
            const tf1 = (packed >>> 8) & 255;
            const tf2 = (packed >>> 16) & 255;
            const tf3 = packed >>> 24;
            if (tf0 !== 0) {
              field[at] = (field[at] as number) + tf0;
              own += (WEIGHTS[0] * tf0) / (1 - B[0] + (B[0] * (postLengths[lengthAt] as number)) / average0);
            }
            if (tf1 !== 0) {
              field[at + 1] = (field[at + 1] as number) + tf1;
              own += (WEIGHTS[1] * tf1) / (1 - B[1] + (B[1] * (postLengths[lengthAt + 1] as number)) / average1);
            }
            if (tf2 !== 0) {
              field[at + 2] = (field[at + 2] as number) + tf2;
              own += (WEIGHTS[2] * tf2) / (1 - B[2] + (B[2] * (postLengths[lengthAt + 2] as number)) / average2);
            }
            if (tf3 !== 0) {
              field[at + 3] = (field[at + 3] as number) + tf3;
              own += (WEIGHTS[3] * tf3) / (1 - B[3] + (B[3] * (postLengths[lengthAt + 3] as number)) / average3);
            }
            if (postInGroup[slot] === 0) {
              postInGroup[slot] = 1;
              touchedPosts[touchedPostCount] = slot;
              touchedPostCount += 1;
              postField[slot] = own;
            } else postField[slot] = (postField[slot] as number) + own;
          }
        }
        // Rarer words weigh more (BM25's idf, by the posts holding the word or one of its alternatives).
        const df = Math.min(documents, posts);
        const idf = Math.log(1 + (posts - df + 0.5) / (df + 0.5));
        queryIdf += idf;
        for (let i = 0; i < touchedCount; i++) {
          const t = touched[i] as number;
          const at = t * FIELDS;
          if ((field[at + TITLE] as number) > 0) titleIdf[t] = (titleIdf[t] as number) + idf;
          let x = 0;
          for (let f = 0; f < FIELDS; f++) {
            const tf = field[at + f] as number;
            if (tf === 0) continue;
            const length = threadLengths[at + f] as number;
            const b = B[f] ?? 0;
            x += ((WEIGHTS[f] ?? 0) * tf) / (1 - b + (b * length) / (averages[f] ?? 1));
            field[at + f] = 0;
          }
          score[t] = (score[t] as number) + (idf * x * (K1 + 1)) / (K1 + x);
          touchedInGroup[t] = 0;
        }
        for (let i = 0; i < touchedPostCount; i++) {
          const slot = touchedPosts[i] as number;
          const x = postField[slot] as number;
          const gain = (idf * x * (K1 + 1)) / (K1 + x);
          if (postScored[slot] === 0) {
            postScored[slot] = 1;
            scoredPosts[scoredCount] = slot;
            scoredCount += 1;
            postScore[slot] = gain;
          } else postScore[slot] = (postScore[slot] as number) + gain;
          postInGroup[slot] = 0;
          postField[slot] = 0;
        }
        if (groups.length < 2) continue;
        // Proximity: where this word stands in titles, beside where the query's previous word stands.
        let masked = 0;
        for (const alternative of group.alternatives)
          for (const term of alternative)
            for (const posting of this.postingsOf(term)) {
              const titleSlots = posting.titleSlots;
              const titleMasks = posting.titleMasks;
              for (let i = 0; i < posting.titleLength; i++) {
                const slot = titleSlots[i] as number;
                if ((postThread[slot] as number) < 0 || (passes && !passes(slot))) continue;
                if (groupMask[slot] === 0) {
                  groupMasked[masked] = slot;
                  masked += 1;
                }
                groupMask[slot] = ((groupMask[slot] as number) | (titleMasks[i] as number)) >>> 0;
              }
            }
        for (let i = 0; i < masked; i++) {
          const slot = groupMasked[i] as number;
          const before = previousMask[slot] as number;
          if (before === 0 || !isNear(before, groupMask[slot] as number)) continue;
          const t = postThread[slot] as number;
          if (matched[t] === 1) nearIdf[t] = (nearIdf[t] as number) + (previousIdf + idf) / 2;
        }
        for (let i = 0; i < previousCount; i++) previousMask[previousMasked[i] as number] = 0;
        [groupMask, previousMask] = [previousMask, groupMask];
        [groupMasked, previousMasked] = [previousMasked, groupMasked];
        previousCount = masked;
        previousIdf = idf;
      }
      for (let i = 0; i < previousCount; i++) previousMask[previousMasked[i] as number] = 0;
      previousCount = 0;

      // What a thread's matching posts are (kinds, solved, all unanswered, plain language, best votes), once per post
      // rather than once per word it matched.
      for (let i = 0; i < scoredCount; i++) {
        const slot = scoredPosts[i] as number;
        const t = postThread[slot] as number;
        kindBits[t] = (kindBits[t] as number) | (postKind[slot] as number);
        const flags = postFlags[slot] as number;
        if (flags & SOLVED) solved[t] = 1;
        if (!(flags & UNANSWERED)) allUnanswered[t] = 0;
        if (flags & PLAIN) plain[t] = 1;
        const votes = postVotes[slot] as number;
        if (votes > (bestVotes[t] as number)) bestVotes[t] = votes;
      }
      for (let i = 0; i < candidateCount; i++) {
        const t = candidates[i] as number;
        if (queryIdf > 0) score[t] = (score[t] as number) + (TITLE_COVERAGE * (titleIdf[t] as number)) / queryIdf;
        if (queryIdf > 0) score[t] = (score[t] as number) + PROXIMITY * (nearIdf[t] as number);
        const votes = Math.max(bestVotes[t] as number, 0);
        score[t] =
          (score[t] as number) * (1 + Math.min(0.25, 0.1 * (solved[t] as number) + 0.05 * Math.log(1 + votes)));
      }
      const threadIds = state.threadIds;
      // The best first: rank, then solved, then votes, then the newer thread (a total order, so any exact top-k agrees).
      const before = (a: number, b: number): boolean => {
        const scoreA = score[a] as number;
        const scoreB = score[b] as number;
        if (scoreA !== scoreB) return scoreA > scoreB;
        if (solved[a] !== solved[b]) return (solved[a] as number) > (solved[b] as number);
        if (bestVotes[a] !== bestVotes[b]) return (bestVotes[a] as number) > (bestVotes[b] as number);
        return (threadIds[a] as number) > (threadIds[b] as number);
      };
      const wanted = page.offset + page.limit;
      const top = topK(candidates, candidateCount, wanted, before);
      const questionsAllowed = !filters.kinds || filters.kinds.length === 0 || filters.kinds.includes("question");
      const threads = top.slice(page.offset, wanted).map((t): RankedThread => {
        const thread = state.threadSlots[t];
        let best: Post | null = null;
        let bestScore = Number.NEGATIVE_INFINITY;
        let bestAnswer: Post | null = null;
        let bestAnswerScore = Number.NEGATIVE_INFINITY;
        for (const id of thread?.posts ?? []) {
          const slot = state.slotOf.get(id);
          const post = slot === undefined ? null : state.slots[slot];
          if (!post || slot === undefined || postScored[slot] === 0) continue;
          const own = postScore[slot] as number;
          if (own > bestScore || (own === bestScore && post.id > (best?.id ?? 0))) {
            best = post;
            bestScore = own;
          }
          if (
            post.kind === "answer" &&
            (own > bestAnswerScore || (own === bestAnswerScore && post.id > (bestAnswer?.id ?? 0)))
          ) {
            bestAnswer = post;
            bestAnswerScore = own;
          }
        }
        const questionSlot = thread ? state.slotOf.get(thread.id) : undefined;
        const question = questionSlot === undefined ? null : state.slots[questionSlot];
        const hitId = questionsAllowed && question?.kind === "question" ? question.id : (best?.id ?? thread?.id ?? 0);
        return { hitId, answerId: bestAnswer && bestAnswer.id !== hitId ? bestAnswer.id : null };
      });
      const facets = page.withFacets ? this.facetsOf(candidates, candidateCount) : null;
      return { total: candidateCount, threads, facets };
    } finally {
      this.prefixPostings.clear();
      // Leave the scratch arrays zeroed for the next search.
      if (previousCount > 0) {
        scratch.groupMask.fill(0);
        scratch.previousMask.fill(0);
      }
      for (let i = 0; i < candidateCount; i++) {
        const t = scratch.candidates[i] as number;
        scratch.score[t] = 0;
        scratch.matched[t] = 0;
        scratch.kindBits[t] = 0;
        scratch.solved[t] = 0;
        scratch.allUnanswered[t] = 0;
        scratch.plain[t] = 0;
        scratch.bestVotes[t] = Number.NEGATIVE_INFINITY;
        scratch.titleIdf[t] = 0;
        scratch.nearIdf[t] = 0;
      }
      for (let i = 0; i < scoredCount; i++) {
        const slot = scratch.scoredPosts[i] as number;
        scratch.postScore[slot] = 0;
        scratch.postScored[slot] = 0;
      }
    }
  }

  /** Facet counts over the matching threads (each counted once, by its question or first post). */
  private facetsOf(candidates: Int32Array, count: number): NonNullable<RankResult["facets"]> {
    const state = this.state;
    const scratch = this.scratch;
    const kindCounts = new Int32Array(KINDS.length);
    const spaceCounts = new Int32Array(state.spaceNames.length);
    const tagCounts = new Int32Array(state.tagNames.length);
    const { threadSpace, threadTags } = state;
    let solvedCount = 0;
    let unanswered = 0;
    let plainCount = 0;
    for (let i = 0; i < count; i++) {
      const t = candidates[i] as number;
      const bits = scratch.kindBits[t] as number;
      for (let k = 0; k < KINDS.length; k++) if (bits & (1 << k)) kindCounts[k] = (kindCounts[k] as number) + 1;
      if (threadSpace[t] === STALE) this.refreshFacetsOf(t);
      const space = threadSpace[t] as number;
      if (space >= 0) {
        spaceCounts[space] = (spaceCounts[space] as number) + 1;
        for (const id of threadTags[t] ?? []) tagCounts[id] = (tagCounts[id] as number) + 1;
      }
      solvedCount += scratch.solved[t] as number;
      unanswered += scratch.allUnanswered[t] as number;
      plainCount += scratch.plain[t] as number;
    }
    const kind: Record<string, number> = {};
    KINDS.forEach((name, k) => {
      if ((kindCounts[k] ?? 0) > 0) kind[name] = kindCounts[k] ?? 0;
    });
    const counted = (counts: Int32Array, names: string[]) =>
      new Map(names.flatMap((name, id) => ((counts[id] ?? 0) > 0 ? [[name, counts[id] ?? 0] as const] : [])));
    const top = (counts: Map<string, number>) =>
      Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || byText(a[0], b[0])).slice(0, 100));
    return {
      kind,
      space: top(counted(spaceCounts, state.spaceNames)),
      tag: top(counted(tagCounts, state.tagNames)),
      solved: solvedCount,
      unanswered,
      plain: plainCount,
    };
  }
}

/**
 * The first `k` of `count` items in the order `before` gives (a strict total order), best first: a bounded heap whose
 * root is the worst kept, so each item costs O(log k) and nothing beyond the page is sorted.
 */
export function topK(items: Int32Array, count: number, k: number, before: (a: number, b: number) => boolean): number[] {
  if (k <= 0 || count === 0) return [];
  const heap: number[] = [];
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < heap.length && before(heap[worst] as number, heap[left] as number)) worst = left;
      if (right < heap.length && before(heap[worst] as number, heap[right] as number)) worst = right;
      if (worst === i) return;
      const swap = heap[i] as number;
      heap[i] = heap[worst] as number;
      heap[worst] = swap;
      i = worst;
    }
  };
  for (let n = 0; n < count; n++) {
    const item = items[n] as number;
    if (heap.length < k) {
      heap.push(item);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(heap[parent] as number, heap[i] as number)) break;
        const swap = heap[i] as number;
        heap[i] = heap[parent] as number;
        heap[parent] = swap;
        i = parent;
      }
    } else if (before(item, heap[0] as number)) {
      heap[0] = item;
      siftDown(0);
    }
  }
  // The items are distinct and the order total: a is either before b or after it.
  return heap.sort((a, b) => (before(a, b) ? -1 : 1));
}

/** Whether two title position masks hold a position each at most PROXIMITY_WINDOW apart (not the same position). */
function isNear(a: number, b: number): boolean {
  let spread = 0;
  for (let d = 1; d <= PROXIMITY_WINDOW; d++) spread |= (a << d) | (a >>> d);
  return (spread & b) !== 0;
}

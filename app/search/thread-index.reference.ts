/**
 * The straightforward version of thread-index.ts (maps per search, a closure per match, a sort of the candidates), kept
 * as the oracle its test ranks against: the fast index must return the same pages, totals and facets.
 */
import type { IndexedPost, RankFilters, RankGroup, RankResult, RankedThread, RankAlternative } from "./thread-index";
import type { SearchKind } from "./types";

const TITLE = 0;
const TAGS = 1;
const BODY = 2;
const ANSWERS = 3;
const FIELDS = 4;
/**
 * BM25F weights and length normalisation per field (title, tags, question body, answers), and the saturation k1.
 * Chosen with `npm run bench:relevance` on a real Stack Exchange dump (duplicate and linked pairs): a title
 * word counts about three body words, the answers half of one, and titles are normalised less than bodies.
 */
const WEIGHTS = [3, 1.5, 1, 0.5];
const B = [0.5, 0.5, 0.75, 0.75];
const K1 = 0.75;
/**
 * A title that holds the query's important words is what people mean ("vpn not working": a VPN title beats a long thread
 * that says "work" a lot and VPN once): up to this much more, by the share of the query's idf its title holds.
 */
const TITLE_COVERAGE = 1;
/** Neighbouring query words close together in a title: this times their mean idf more (see thread-index.ts). */
const PROXIMITY = 1;
const PROXIMITY_WINDOW = 3;
const TITLE_POSITIONS = 32;
const KIND_BITS: Record<SearchKind, number> = { question: 1, answer: 2, howto: 4, discussion: 8, session: 16 };

type Post = {
  id: number;
  kind: SearchKind;
  thread: Thread;
  spaceSlug: string;
  tags: string[];
  isSolved: boolean;
  isUnanswered: boolean;
  isPlainLanguage: boolean;
  score: number;
  lengths: number[];
  /** Per lexeme of its title (not an answer's copy of it), the positions there as a bit mask. */
  titleMasks: Map<string, number>;
};

type Thread = {
  id: number;
  /** Index into the per-query score arrays. */
  slot: number;
  posts: Set<number>;
  lengths: number[];
};

type Posting = { slots: Int32Array; tfs: Uint32Array; length: number };

const LEXEME = /'((?:[^']|'')*)'(?::([0-9A-D,]+))?/g;

/** Per field, how often each lexeme occurs in a post (title, tags, body, or answers for an answer). */
function parseTsvector(
  tsv: string,
  isAnswer: boolean,
): { counts: Map<string, number[]>; lengths: number[]; titleMasks: Map<string, number> } {
  const counts = new Map<string, number[]>();
  const titleMasks = new Map<string, number>();
  const lengths = [0, 0, 0, 0];
  for (const match of tsv.matchAll(LEXEME)) {
    const lexeme = (match[1] ?? "").replace(/''/g, "'");
    const positions = match[2];
    if (!lexeme || !positions) continue;
    const tf: [number, number, number, number] = [0, 0, 0, 0];
    for (const position of positions.split(",")) {
      const weight = position.at(-1);
      // An answer's document repeats its question's title and tags: they count once, on the question.
      if (weight === "A" && !isAnswer) {
        tf[TITLE] += 1;
        const at = Number.parseInt(position, 10);
        if (at < TITLE_POSITIONS) titleMasks.set(lexeme, ((titleMasks.get(lexeme) ?? 0) | (1 << at)) >>> 0);
      } else if (weight === "B" && !isAnswer) tf[TAGS] += 1;
      else if (weight === "C") tf[isAnswer ? ANSWERS : BODY] += 1;
    }
    if (tf.every((n) => n === 0)) continue;
    counts.set(lexeme, tf);
    for (let f = 0; f < FIELDS; f++) lengths[f] = (lengths[f] ?? 0) + (tf[f] ?? 0);
  }
  return { counts, lengths, titleMasks };
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

function byText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export class ReferenceThreadIndex {
  /** Post slots: a changed post gets a new slot, and its old one is dead until the postings are compacted. */
  private slots: (Post | null)[] = [];
  private slotOf = new Map<number, number>();
  private threads = new Map<number, Thread>();
  private threadSlots: Thread[] = [];
  private freeThreadSlots: number[] = [];
  private postings = new Map<string, Posting>();
  private dead = 0;
  private totals = [0, 0, 0, 0];
  private vocabulary: string[] | null = null;

  /** Live posts. */
  get size(): number {
    return this.slotOf.size;
  }

  /** Takes over another index's contents (one built aside while this one kept answering). */
  replaceWith(other: ReferenceThreadIndex): void {
    this.slots = other.slots;
    this.slotOf = other.slotOf;
    this.threads = other.threads;
    this.threadSlots = other.threadSlots;
    this.freeThreadSlots = other.freeThreadSlots;
    this.postings = other.postings;
    this.dead = other.dead;
    this.totals = other.totals;
    this.vocabulary = other.vocabulary;
  }

  clear(): void {
    this.slots = [];
    this.slotOf.clear();
    this.threads.clear();
    this.threadSlots = [];
    this.freeThreadSlots = [];
    this.postings.clear();
    this.dead = 0;
    this.totals = [0, 0, 0, 0];
    this.vocabulary = null;
  }

  upsert(post: IndexedPost): void {
    this.remove(post.id);
    const threadId =
      post.kind === "answer" && post.questionId !== null && post.questionId > 0 ? post.questionId : post.id;
    let thread = this.threads.get(threadId);
    if (!thread) {
      const slot = this.freeThreadSlots.pop() ?? this.threadSlots.length;
      thread = { id: threadId, slot, posts: new Set(), lengths: [0, 0, 0, 0] };
      this.threads.set(threadId, thread);
      this.threadSlots[slot] = thread;
    }
    const { counts, lengths, titleMasks } = parseTsvector(post.tsv, post.kind === "answer");
    const slot = this.slots.length;
    this.slots.push({
      id: post.id,
      kind: post.kind,
      thread,
      spaceSlug: post.spaceSlug,
      tags: post.tags,
      isSolved: post.isSolved,
      isUnanswered: post.isUnanswered,
      isPlainLanguage: post.isPlainLanguage,
      score: post.score,
      lengths,
      titleMasks,
    });
    this.slotOf.set(post.id, slot);
    thread.posts.add(post.id);
    for (let f = 0; f < FIELDS; f++) {
      thread.lengths[f] = (thread.lengths[f] ?? 0) + (lengths[f] ?? 0);
      this.totals[f] = (this.totals[f] ?? 0) + (lengths[f] ?? 0);
    }
    for (const [lexeme, tf] of counts) {
      let posting = this.postings.get(lexeme);
      if (!posting) {
        posting = { slots: new Int32Array(4), tfs: new Uint32Array(4), length: 0 };
        this.postings.set(lexeme, posting);
        this.vocabulary = null;
      }
      if (posting.length === posting.slots.length) {
        const slots = new Int32Array(posting.length * 2);
        slots.set(posting.slots);
        const tfs = new Uint32Array(posting.length * 2);
        tfs.set(posting.tfs);
        posting.slots = slots;
        posting.tfs = tfs;
      }
      posting.slots[posting.length] = slot;
      posting.tfs[posting.length] = pack(tf);
      posting.length += 1;
    }
  }

  remove(id: number): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    const post = this.slots[slot];
    this.slots[slot] = null;
    this.slotOf.delete(id);
    this.dead += 1;
    if (!post) return;
    const thread = post.thread;
    thread.posts.delete(id);
    for (let f = 0; f < FIELDS; f++) {
      thread.lengths[f] = (thread.lengths[f] ?? 0) - (post.lengths[f] ?? 0);
      this.totals[f] = (this.totals[f] ?? 0) - (post.lengths[f] ?? 0);
    }
    if (thread.posts.size === 0) {
      this.threads.delete(thread.id);
      this.freeThreadSlots.push(thread.slot);
    }
    // Dead entries are skipped while ranking; once they are a fifth of all, the postings are rewritten without them.
    if (this.dead > 1000 && this.dead > this.slotOf.size / 4) this.compact();
  }

  /** Rewrites the postings without dead slots (and renumbers the live ones densely). */
  private compact(): void {
    const renumber = new Int32Array(this.slots.length).fill(-1);
    const slots: (Post | null)[] = [];
    this.slots.forEach((post, old) => {
      if (!post) return;
      renumber[old] = slots.length;
      this.slotOf.set(post.id, slots.length);
      slots.push(post);
    });
    for (const [lexeme, posting] of this.postings) {
      let n = 0;
      for (let i = 0; i < posting.length; i++) {
        const next = renumber[posting.slots[i] ?? 0] ?? -1;
        if (next < 0) continue;
        posting.slots[n] = next;
        posting.tfs[n] = posting.tfs[i] ?? 0;
        n += 1;
      }
      posting.length = n;
      if (n === 0) {
        this.postings.delete(lexeme);
        this.vocabulary = null;
      }
    }
    this.slots = slots;
    this.dead = 0;
  }

  /** The indexed lexemes beginning with `prefix` (a sorted vocabulary is kept until a new lexeme arrives). */
  private lexemesStartingWith(prefix: string): string[] {
    this.vocabulary ??= [...this.postings.keys()].sort();
    const vocabulary = this.vocabulary;
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

  /** Calls `visit(slot, packedCounts)` for every live post holding the alternative (all its lexemes). */
  private eachMatch(alternative: RankAlternative, visit: (slot: number, packed: number) => void): number {
    const postingsOf = (term: { lexeme: string; isPrefix: boolean }): Posting[] =>
      term.isPrefix
        ? this.lexemesStartingWith(term.lexeme).flatMap((lexeme) => this.postings.get(lexeme) ?? [])
        : [this.postings.get(term.lexeme)].flatMap((posting) => (posting ? [posting] : []));
    const first = alternative[0];
    if (!first) return 0;
    if (alternative.length === 1) {
      let documents = 0;
      // Live posts only: a changed post's old entries wait for compaction and must not count.
      for (const posting of postingsOf(first))
        for (let i = 0; i < posting.length; i++) {
          const slot = posting.slots[i] ?? 0;
          if (!this.slots[slot]) continue;
          documents += 1;
          visit(slot, posting.tfs[i] ?? 0);
        }
      return documents;
    }
    // All lexemes in one post: the smallest count per field stands for the whole.
    let common: Map<number, number> | null = null;
    for (const term of alternative) {
      const here = new Map<number, number>();
      for (const posting of postingsOf(term))
        for (let i = 0; i < posting.length; i++) {
          const slot = posting.slots[i] ?? 0;
          if (!this.slots[slot] || (common && !common.has(slot))) continue;
          here.set(slot, posting.tfs[i] ?? 0);
        }
      if (common) {
        const previous: Map<number, number> = common;
        for (const [slot, packed] of here) {
          const before = previous.get(slot) ?? 0;
          let merged = 0;
          for (let shift = 0; shift < 32; shift += 8)
            merged |= Math.min((packed >>> shift) & 255, (before >>> shift) & 255) << shift;
          here.set(slot, merged >>> 0);
        }
      }
      common = here;
    }
    for (const [slot, packed] of common ?? []) visit(slot, packed);
    return common?.size ?? 0;
  }

  private passes(post: Post, filters: RankFilters): boolean {
    if (filters.kinds && filters.kinds.length > 0 && !filters.kinds.includes(post.kind)) return false;
    if (filters.spaceSlug !== undefined && post.spaceSlug !== filters.spaceSlug) return false;
    if (filters.tag !== undefined && !post.tags.includes(filters.tag)) return false;
    if (filters.isSolved !== undefined && post.isSolved !== filters.isSolved) return false;
    if (filters.isUnanswered !== undefined && post.isUnanswered !== filters.isUnanswered) return false;
    if (filters.isPlainLanguage !== undefined && post.isPlainLanguage !== filters.isPlainLanguage) return false;
    if (filters.onlyPosts && !filters.onlyPosts.has(post.id)) return false;
    return true;
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
    const threadCount = this.threadSlots.length;
    const liveThreads = Math.max(this.threads.size, 1);
    const posts = Math.max(this.slotOf.size, 1);
    const averages = this.totals.map((total) => Math.max(total / liveThreads, 1));
    const score = new Float64Array(threadCount);
    const field = new Float64Array(threadCount * FIELDS);
    const touchedInGroup = new Uint8Array(threadCount);
    const matched = new Uint8Array(threadCount);
    const kindBits = new Uint8Array(threadCount);
    const solved = new Uint8Array(threadCount);
    const allUnanswered = new Uint8Array(threadCount);
    const plain = new Uint8Array(threadCount);
    const bestVotes = new Float64Array(threadCount).fill(Number.NEGATIVE_INFINITY);
    const titleIdf = new Float64Array(threadCount);
    const nearIdf = new Float64Array(threadCount);
    let previousMasks = new Map<number, number>();
    let previousIdf = 0;
    let queryIdf = 0;
    const candidates: number[] = [];
    const postScore = new Map<number, number>();
    const postField = new Map<number, number>();

    for (const group of groups) {
      const touched: number[] = [];
      const touchedPosts: number[] = [];
      let documents = 0;
      for (const alternative of group.alternatives)
        documents += this.eachMatch(alternative, (slot, packed) => {
          const post = this.slots[slot];
          if (!post || !this.passes(post, filters)) return;
          const t = post.thread.slot;
          if (!touchedInGroup[t]) {
            touchedInGroup[t] = 1;
            touched.push(t);
          }
          if (!matched[t]) {
            matched[t] = 1;
            candidates.push(t);
            allUnanswered[t] = 1;
          }
          kindBits[t] = (kindBits[t] ?? 0) | KIND_BITS[post.kind];
          if (post.isSolved) solved[t] = 1;
          if (!post.isUnanswered) allUnanswered[t] = 0;
          if (post.isPlainLanguage) plain[t] = 1;
          if (post.score > (bestVotes[t] ?? 0)) bestVotes[t] = post.score;
          let own = 0;
          for (let f = 0; f < FIELDS; f++) {
            const tf = (packed >>> (8 * f)) & 255;
            if (tf === 0) continue;
            field[t * FIELDS + f] = (field[t * FIELDS + f] ?? 0) + tf;
            own +=
              ((WEIGHTS[f] ?? 0) * tf) /
              (1 - (B[f] ?? 0) + ((B[f] ?? 0) * (post.lengths[f] ?? 0)) / (averages[f] ?? 1));
          }
          if (!postField.has(slot)) touchedPosts.push(slot);
          postField.set(slot, (postField.get(slot) ?? 0) + own);
        });
      // Rarer words weigh more (BM25's idf, by the posts holding the word or one of its alternatives).
      const df = Math.min(documents, posts);
      const idf = Math.log(1 + (posts - df + 0.5) / (df + 0.5));
      queryIdf += idf;
      for (const t of touched) {
        const thread = this.threadSlots[t];
        if ((field[t * FIELDS + TITLE] ?? 0) > 0) titleIdf[t] = (titleIdf[t] ?? 0) + idf;
        let x = 0;
        for (let f = 0; f < FIELDS; f++) {
          const tf = field[t * FIELDS + f] ?? 0;
          if (tf === 0) continue;
          const length = thread?.lengths[f] ?? 0;
          x += ((WEIGHTS[f] ?? 0) * tf) / (1 - (B[f] ?? 0) + ((B[f] ?? 0) * length) / (averages[f] ?? 1));
          field[t * FIELDS + f] = 0;
        }
        score[t] = (score[t] ?? 0) + (idf * x * (K1 + 1)) / (K1 + x);
        touchedInGroup[t] = 0;
      }
      for (const slot of touchedPosts) {
        const x = postField.get(slot) ?? 0;
        postScore.set(slot, (postScore.get(slot) ?? 0) + (idf * x * (K1 + 1)) / (K1 + x));
      }
      postField.clear();
      if (groups.length < 2) continue;
      // Proximity: where this word stands in titles, beside where the query's previous word stands.
      const masks = new Map<number, number>();
      for (const alternative of group.alternatives)
        for (const term of alternative)
          for (const lexeme of term.isPrefix ? this.lexemesStartingWith(term.lexeme) : [term.lexeme]) {
            const posting = this.postings.get(lexeme);
            for (let i = 0; i < (posting?.length ?? 0); i++) {
              const slot = posting?.slots[i] ?? 0;
              const post = this.slots[slot];
              const mask = post?.titleMasks.get(lexeme) ?? 0;
              if (!post || mask === 0 || !this.passes(post, filters)) continue;
              masks.set(slot, ((masks.get(slot) ?? 0) | mask) >>> 0);
            }
          }
      for (const [slot, mask] of masks) {
        const before = previousMasks.get(slot) ?? 0;
        const t = this.slots[slot]?.thread.slot ?? 0;
        if (before !== 0 && isNear(before, mask) && matched[t])
          nearIdf[t] = (nearIdf[t] ?? 0) + (previousIdf + idf) / 2;
      }
      previousMasks = masks;
      previousIdf = idf;
    }

    for (const t of candidates) {
      if (queryIdf > 0) score[t] = (score[t] ?? 0) + (TITLE_COVERAGE * (titleIdf[t] ?? 0)) / queryIdf;
      if (queryIdf > 0) score[t] = (score[t] ?? 0) + PROXIMITY * (nearIdf[t] ?? 0);
      const votes = Math.max(bestVotes[t] ?? 0, 0);
      score[t] = (score[t] ?? 0) * (1 + Math.min(0.25, 0.1 * (solved[t] ?? 0) + 0.05 * Math.log(1 + votes)));
    }
    // The best first: rank, then solved, then votes, then the newer thread; only the page's share is sorted in full.
    const wanted = page.offset + page.limit;
    let ordered = candidates;
    if (candidates.length > wanted * 4 && wanted > 0) {
      const values = Float64Array.from(candidates, (t) => score[t] ?? 0).sort();
      const threshold = values[values.length - wanted] ?? 0;
      ordered = candidates.filter((t) => (score[t] ?? 0) >= threshold);
    }
    const threadIdOf = (t: number) => this.threadSlots[t]?.id ?? 0;
    ordered = [...ordered].sort(
      (a, b) =>
        (score[b] ?? 0) - (score[a] ?? 0) ||
        (solved[b] ?? 0) - (solved[a] ?? 0) ||
        (bestVotes[b] ?? 0) - (bestVotes[a] ?? 0) ||
        threadIdOf(b) - threadIdOf(a),
    );
    const questionsAllowed = !filters.kinds || filters.kinds.length === 0 || filters.kinds.includes("question");
    const threads = ordered.slice(page.offset, wanted).map((t): RankedThread => {
      const thread = this.threadSlots[t];
      let best: Post | null = null;
      let bestScore = Number.NEGATIVE_INFINITY;
      let bestAnswer: Post | null = null;
      let bestAnswerScore = Number.NEGATIVE_INFINITY;
      for (const id of thread?.posts ?? []) {
        const slot = this.slotOf.get(id);
        const post = slot === undefined ? null : this.slots[slot];
        const own = slot === undefined ? undefined : postScore.get(slot);
        if (!post || own === undefined) continue;
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
      const questionSlot = thread ? this.slotOf.get(thread.id) : undefined;
      const question = questionSlot === undefined ? null : this.slots[questionSlot];
      const hitId = questionsAllowed && question?.kind === "question" ? question.id : (best?.id ?? thread?.id ?? 0);
      return { hitId, answerId: bestAnswer && bestAnswer.id !== hitId ? bestAnswer.id : null };
    });

    let facets: RankResult["facets"] = null;
    if (page.withFacets) {
      const kind: Record<string, number> = {};
      const space = new Map<string, number>();
      const tag = new Map<string, number>();
      let solvedCount = 0;
      let unanswered = 0;
      let plainCount = 0;
      for (const t of candidates) {
        const bits = kindBits[t] ?? 0;
        for (const [name, bit] of Object.entries(KIND_BITS)) if (bits & bit) kind[name] = (kind[name] ?? 0) + 1;
        const thread = this.threadSlots[t];
        const firstId = thread?.posts.has(thread.id) ? thread.id : thread?.posts.values().next().value;
        const slot = firstId === undefined ? undefined : this.slotOf.get(firstId);
        const main = slot === undefined ? null : this.slots[slot];
        if (main) {
          space.set(main.spaceSlug, (space.get(main.spaceSlug) ?? 0) + 1);
          for (const name of new Set(main.tags)) tag.set(name, (tag.get(name) ?? 0) + 1);
        }
        solvedCount += solved[t] ?? 0;
        unanswered += allUnanswered[t] ?? 0;
        plainCount += plain[t] ?? 0;
      }
      const top = (counts: Map<string, number>) =>
        Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || byText(a[0], b[0])).slice(0, 100));
      facets = { kind, space: top(space), tag: top(tag), solved: solvedCount, unanswered, plain: plainCount };
    }
    return { total: candidates.length, threads, facets };
  }
}

/** Whether two title position masks hold a position each at most PROXIMITY_WINDOW apart (not the same position). */
function isNear(a: number, b: number): boolean {
  let spread = 0;
  for (let d = 1; d <= PROXIMITY_WINDOW; d++) spread |= (a << d) | (a >>> d);
  return (spread & b) !== 0;
}

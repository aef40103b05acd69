/**
 * Catalog search (runtime: Node, pure): typo-tolerant, spelling-variant-tolerant, fast enough to
 * answer every keystroke.
 *
 * Each camera's text (number, name, kelurahan, kecamatan, codes, type) is split into tokens. Tokens go
 * into an inverted index: token → camera positions. A query word matches a token exactly, as a
 * prefix (the operator is still typing), or within a small edit distance once both are folded to a
 * spelling key that merges Indonesian variants (old Van Ophuijsen and Soewandi spellings: "oe"→"u",
 * "dj"→"j", "tj"→"c", "nj"→"ny", "sj"→"sy", "ch"→"kh"; doubled letters). Every word of the query
 * must match; results rank by how well they matched, then by catalog order.
 */

/** Lower-case, strip accents and punctuation: "Semarang-Tengah" and "semarang tengah" match. */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Folds Indonesian spelling variants to one key: "Pedoeroengan" → "pedurungan", "Djomblang" → "jomblang". */
export function spellingKey(word: string): string {
  return word
    .replace(/oe/g, 'u')
    .replace(/dj/g, 'j')
    .replace(/tj/g, 'c')
    .replace(/nj/g, 'ny')
    .replace(/sj/g, 'sy')
    .replace(/ch/g, 'kh')
    .replace(/(.)\1+/g, '$1');
}

/** Levenshtein distance, giving up (returning max + 1) as soon as it must exceed `max`. */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (cur[j]! < rowMin) rowMin = cur[j]!;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Typos allowed for a query word of this length: none below 4 letters, one up to 7, two beyond. */
export function typoBudget(length: number): number {
  return length < 4 ? 0 : length < 8 ? 1 : 2;
}

interface Token {
  text: string;
  key: string;
  numeric: boolean;
  postings: number[];
}

const SCORE = { exact: 4, prefix: 3, variant: 2, typo: 1 } as const;

export class SearchIndex {
  private readonly tokens: Token[] = [];
  private readonly byText = new Map<string, Token>();
  /** Each item's whole text, normalised and spelling-keyed, for the phrase bonus. */
  private readonly phrases: string[];

  /** `texts[i]` is the searchable text of item i; results are item positions. */
  constructor(texts: readonly string[]) {
    this.phrases = texts.map((t) => ` ${normalise(t).split(' ').map(spellingKey).join(' ')} `);
    texts.forEach((text, i) => {
      for (const word of new Set(normalise(text).split(' ').filter(Boolean))) {
        let token = this.byText.get(word);
        if (!token) {
          token = { text: word, key: spellingKey(word), numeric: /^\d+$/.test(word), postings: [] };
          this.byText.set(word, token);
          this.tokens.push(token);
        }
        token.postings.push(i);
      }
    });
  }

  get vocabularySize(): number {
    return this.tokens.length;
  }

  /** Best score per item for one query word (0 = no match), written into `best`. */
  private matchWord(word: string, best: Uint8Array): void {
    const numeric = /^\d+$/.test(word);
    const key = spellingKey(word);
    const budget = numeric ? 0 : typoBudget(key.length);
    for (const token of this.tokens) {
      let score = 0;
      if (token.text === word) score = SCORE.exact;
      else if (token.text.startsWith(word)) score = SCORE.prefix;
      else if (numeric || token.numeric) continue;
      else if (token.key === key || token.key.startsWith(key)) score = SCORE.variant;
      else if (budget > 0) {
        // Compare with the token's same-length prefix too, so a typo while still typing matches.
        const d = Math.min(boundedDistance(key, token.key, budget), token.key.length > key.length ? boundedDistance(key, token.key.slice(0, key.length), budget) : budget + 1);
        if (d <= budget) score = SCORE.typo;
      }
      if (score === 0) continue;
      for (const item of token.postings) if (best[item]! < score) best[item] = score;
    }
  }

  /** Items matching every word, best first (ties in item order), at most `limit`. */
  search(query: string, limit: number): number[] {
    const words = [...new Set(normalise(query).split(' ').filter(Boolean))];
    if (words.length === 0) return [];
    const n = this.phrases.length;
    const total = new Uint16Array(n);
    let alive: number[] | null = null;
    const best = new Uint8Array(n);
    for (const word of words) {
      best.fill(0);
      this.matchWord(word, best);
      if (alive === null) {
        alive = [];
        for (let i = 0; i < n; i++) if (best[i]! > 0) alive.push(i);
      } else {
        alive = alive.filter((i) => best[i]! > 0);
      }
      for (const i of alive) total[i]! += best[i]!;
      if (alive.length === 0) return [];
    }
    // Words found next to each other, in order ("pedurungan kidul"), beat the same words scattered.
    if (words.length > 1) {
      const phrase = ' ' + words.map(spellingKey).join(' ');
      for (const i of alive!) if (this.phrases[i]!.includes(phrase)) total[i]! += SCORE.exact;
    }
    // Scores are small integers: bucket them, best bucket first, each in item order.
    const buckets = new Map<number, number[]>();
    for (const i of alive!) {
      const s = total[i]!;
      let b = buckets.get(s);
      if (!b) buckets.set(s, (b = []));
      b.push(i);
    }
    const out: number[] = [];
    for (const s of [...buckets.keys()].sort((a, b) => b - a)) {
      for (const i of buckets.get(s)!) {
        out.push(i);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }
}

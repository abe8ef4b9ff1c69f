import { lowerBound, replaceSorted, type Cmp } from "./order.js";

/** Elements a block is cut to; a block that grows past twice this is split. */
export const BLOCK_SIZE = 128;

/**
 * An immutable sorted sequence held in blocks of about {@link BLOCK_SIZE} elements. A change returns a new
 * sequence that shares every block it did not touch: a commit that moves a thousand rows of a million-row
 * order copies a thousand small blocks and the block list, not the million (a flat array made every commit
 * of an import allocate and copy two 8 MB orders — old-generation garbage that drove full collections of a
 * 2.5 GB heap). A reader that holds a version across an await keeps it whole, as with the flat array.
 */
export class SortedBlocks<T> implements Iterable<T> {
  /**
   * @param blocks in order, none empty
   * @param ends `ends[b]`: how many elements blocks 0..b hold
   */
  private constructor(private readonly blocks: ReadonlyArray<readonly T[]>, private readonly ends: readonly number[]) {}

  /** The sequence of `sorted` (not copied further: the caller gives it up). */
  static of<T>(sorted: readonly T[], size = BLOCK_SIZE): SortedBlocks<T> {
    const blocks: T[][] = [];
    for (let i = 0; i < sorted.length; i += size) blocks.push(sorted.slice(i, i + size));
    return new SortedBlocks(blocks, endsOf(blocks));
  }

  static empty<T>(): SortedBlocks<T> {
    return new SortedBlocks<T>([], []);
  }

  get length(): number {
    return this.ends.length === 0 ? 0 : this.ends[this.ends.length - 1]!;
  }

  /** The block holding index `i` (0 ≤ i < length). */
  private blockOf(i: number): number {
    let lo = 0;
    let hi = this.ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! > i) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private startOf(b: number): number {
    return b === 0 ? 0 : this.ends[b - 1]!;
  }

  at(i: number): T | undefined {
    if (i < 0 || i >= this.length) return undefined;
    const b = this.blockOf(i);
    return this.blocks[b]![i - this.startOf(b)];
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const block of this.blocks) yield* block;
  }

  toArray(): T[] {
    const out = new Array<T>(this.length);
    let k = 0;
    for (const block of this.blocks) for (const x of block) out[k++] = x;
    return out;
  }

  filter(keep: (x: T) => boolean): T[] {
    const out: T[] = [];
    for (const block of this.blocks) for (const x of block) if (keep(x)) out.push(x);
    return out;
  }

  map<U>(f: (x: T) => U): U[] {
    const out: U[] = [];
    for (const block of this.blocks) for (const x of block) out.push(f(x));
    return out;
  }

  count(keep: (x: T) => boolean): number {
    let n = 0;
    for (const block of this.blocks) for (const x of block) if (keep(x)) n++;
    return n;
  }

  /** The first index whose element is not below `x`. */
  lowerBound<K>(x: K, cmp: (e: T, x: K) => number): number {
    // The first block whose last element is not below x holds it.
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const block = this.blocks[mid]!;
      if (cmp(block[block.length - 1]!, x) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.blocks.length) return this.length;
    return this.startOf(lo) + lowerBound(this.blocks[lo]!, x, cmp);
  }

  /** Up to `limit` elements from index `start` on that pass `keep` (after skipping `skip` of them), and where the walk stopped. */
  walk(start: number, keep: (x: T) => boolean, limit: number, skip = 0): { items: T[]; next: number } {
    const items: T[] = [];
    if (start >= this.length || limit <= 0) return { items, next: Math.max(start, 0) };
    let b = this.blockOf(Math.max(start, 0));
    let j = Math.max(start, 0) - this.startOf(b);
    let i = Math.max(start, 0);
    for (; b < this.blocks.length; b++, j = 0) {
      const block = this.blocks[b]!;
      for (; j < block.length; j++, i++) {
        if (items.length >= limit) return { items, next: i };
        if (!keep(block[j]!)) continue;
        if (skip > 0) skip--;
        else items.push(block[j]!);
      }
    }
    return { items, next: i };
  }

  /**
   * Where `x` sits, or -1 — by binary search, so call it while its key is still the one the sequence was
   * sorted by. `member(x)`: whether `x` must be in it; one the search misses is then looked for element by
   * element (never left behind as a duplicate).
   */
  positionOf(x: T, cmp: Cmp<T>, member: (x: T) => boolean = () => false): number {
    const i = this.lowerBound(x, cmp);
    if (this.at(i) === x) return i;
    if (!member(x)) return -1;
    let k = 0;
    for (const block of this.blocks) {
      const j = block.indexOf(x);
      if (j >= 0) return k + j;
      k += block.length;
    }
    return -1;
  }

  /** {@link positionOf} of each of `xs` that is in the sequence, ascending. */
  positionsOf(xs: Iterable<T>, cmp: Cmp<T>, member: (x: T) => boolean = () => false): number[] {
    const out: number[] = [];
    for (const x of xs) {
      const i = this.positionOf(x, cmp, member);
      if (i >= 0) out.push(i);
    }
    return out.sort((p, q) => p - q);
  }

  /**
   * A new sequence: this one without the elements at `positions` (ascending, from {@link positionsOf}), with
   * `added` (any order, sorted by their current keys) merged in. Only the blocks that lose or gain an element
   * are copied; this sequence is left as it was.
   */
  replace(positions: readonly number[], added: readonly T[], cmp: Cmp<T>, size = BLOCK_SIZE): SortedBlocks<T> {
    if (positions.length === 0 && added.length === 0) return this;
    // Many rows at once (a reload's worth): one pass over all of it.
    if (added.length * 8 > this.length) return SortedBlocks.of(replaceSorted(this.toArray(), positions, added, cmp), size);
    // 1. Removals, block by block; a block left empty is dropped.
    let blocks: Array<readonly T[]> = this.blocks.slice();
    const touched = new Set<number>();
    if (positions.length > 0) {
      let b = 0;
      for (let p = 0; p < positions.length;) {
        while (this.ends[b]! <= positions[p]!) b++;
        const start = this.startOf(b);
        const end = this.ends[b]!;
        const src = this.blocks[b]!;
        const left: T[] = [];
        let j = 0;
        while (p < positions.length && positions[p]! < end) {
          const cut = positions[p++]! - start;
          for (; j < cut; j++) left.push(src[j]!);
          j = cut + 1;
        }
        for (; j < src.length; j++) left.push(src[j]!);
        blocks[b] = left;
        touched.add(b);
      }
      const kept: Array<readonly T[]> = [];
      const keptTouched = new Set<number>();
      blocks.forEach((block, b) => {
        if (block.length === 0) return;
        if (touched.has(b)) keptTouched.add(kept.length);
        kept.push(block);
      });
      blocks = kept;
      touched.clear();
      for (const b of keptTouched) touched.add(b);
    }
    // 2. Additions: each into the first block whose last element is not below it (the last block for the
    // largest), merged there. Only kept elements are compared: their keys are those they were sorted by.
    const gains = new Map<number, T[]>();
    if (added.length > 0) {
      const add = [...added].sort(cmp);
      if (blocks.length === 0) blocks = [[]];
      let from = 0;
      for (const x of add) {
        let lo = from;
        let hi = blocks.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          const block = blocks[mid]!;
          if (block.length > 0 && cmp(block[block.length - 1]!, x) < 0) lo = mid + 1;
          else hi = mid;
        }
        from = lo;
        let list = gains.get(lo);
        if (!list) gains.set(lo, (list = []));
        list.push(x);
      }
    }
    // 3. The block list again: merged blocks split when over twice the size, small touched blocks joined to the one before.
    const out: Array<readonly T[]> = [];
    for (let b = 0; b < blocks.length; b++) {
      const gain = gains.get(b);
      const block = gain ? mergeSorted(blocks[b]!, gain, cmp) : blocks[b]!;
      if (!gain && !touched.has(b)) {
        out.push(block);
        continue;
      }
      if (block.length === 0) continue;
      const prev = out[out.length - 1];
      if (prev && block.length < size / 2 && prev.length + block.length <= size) {
        out[out.length - 1] = prev.concat(block);
        continue;
      }
      if (block.length > 2 * size) {
        for (let i = 0; i < block.length; i += size) out.push(block.slice(i, i + size));
        continue;
      }
      out.push(block);
    }
    return new SortedBlocks(out, endsOf(out));
  }
}

function endsOf<T>(blocks: ReadonlyArray<readonly T[]>): number[] {
  const ends = new Array<number>(blocks.length);
  let n = 0;
  for (let b = 0; b < blocks.length; b++) ends[b] = n += blocks[b]!.length;
  return ends;
}

/** `a` with `b` merged in (both sorted): by binary search while `b` is a few (an import's rows land a row or two per block), else one pass. */
function mergeSorted<T>(a: readonly T[], b: readonly T[], cmp: Cmp<T>): T[] {
  const out = new Array<T>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  if (b.length * 8 <= a.length) {
    for (; j < b.length; j++) {
      const at = lowerBound(a, b[j]!, cmp, i);
      while (i < at) out[k++] = a[i++]!;
      out[k++] = b[j]!;
    }
  } else {
    while (i < a.length && j < b.length) out[k++] = cmp(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

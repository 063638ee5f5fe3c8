/**
 * A set of strings (record ids) kept in typed arrays, off V8's heap. A scan
 * remembers every id it has read, to emit each record once and to notice
 * pages that bring nothing new; in a Set<string> each id cost about 200 bytes
 * of resident memory once V8's heap headroom is counted, and a 500,000-contact
 * read peaked 100 MB higher than without it. Here a 24-character hex id takes
 * 13 bytes plus its slot. Exact: two ids are one only when their texts are.
 */
export class IdSet {
  /** Per slot: the entry's offset in `bytes` plus one, or 0 for an empty slot. */
  private slots = new Uint32Array(1 << 10);
  /** Per slot: the entry's hash, so that a probe compares bytes only on a match. */
  private hashes = new Uint32Array(1 << 10);
  /** The entries, each as encode() writes it. */
  private bytes = new Uint8Array(1 << 12);
  private used = 0;
  private scratch = new Uint8Array(256);
  private scratchLength = 0;
  private count = 0;

  /** The number of ids in the set. */
  get size(): number {
    return this.count;
  }

  /** The bytes its arrays hold. */
  get byteLength(): number {
    return this.slots.byteLength + this.hashes.byteLength + this.bytes.byteLength + this.scratch.byteLength;
  }

  has(id: string): boolean {
    this.encode(id);
    return this.slots[this.find(this.hash())] !== 0;
  }

  /** Adds the id; true when it was not there before. */
  add(id: string): boolean {
    this.encode(id);
    const hash = this.hash();
    const slot = this.find(hash);
    if (this.slots[slot] !== 0) return false;
    this.store(slot, hash);
    this.count += 1;
    // At most three quarters full, so probes stay short.
    if (this.count * 4 > this.slots.length * 3) this.rehash(this.slots.length * 2);
    return true;
  }

  /** The slot that holds the scratch entry, or the empty slot where it belongs. */
  private find(hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot] as number;
      if (at === 0 || (this.hashes[slot] === hash && this.equalsScratch(at - 1))) return slot;
    }
  }

  private store(slot: number, hash: number): void {
    const n = this.scratchLength;
    if (this.used + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + n));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(this.scratch.subarray(0, n), this.used);
    this.slots[slot] = this.used + 1;
    this.hashes[slot] = hash;
    this.used += n;
  }

  private rehash(capacity: number): void {
    const { slots, hashes } = this;
    this.slots = new Uint32Array(capacity);
    this.hashes = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let i = 0; i < slots.length; i++) {
      if (slots[i] === 0) continue;
      const hash = hashes[i] as number;
      let slot = hash & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = slots[i] as number;
      this.hashes[slot] = hash;
    }
  }

  private equalsScratch(offset: number): boolean {
    const n = this.scratchLength;
    if (offset + n > this.used) return false;
    for (let i = 0; i < n; i++) if (this.bytes[offset + i] !== this.scratch[i]) return false;
    // Entries are self-delimiting (their first bytes give their length), so equal bytes are an equal entry.
    return true;
  }

  /** FNV-1a over the scratch entry. */
  private hash(): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < this.scratchLength; i++) h = Math.imul(h ^ (this.scratch[i] as number), 0x01000193);
    return h >>> 0;
  }

  /**
   * Writes the id's entry into `scratch`. Lower-case hex up to 127 characters
   * (Intercom's ids, numeric ones included) packs two characters a byte after
   * a header of 0x80 plus its length. Anything else is its UTF-8 bytes after
   * a header of the byte length (below 127), or of 127 and four length bytes.
   * One text has one entry, and no two texts share one.
   */
  private encode(id: string): void {
    const n = id.length;
    if (n > 0 && n < 128 && isLowerHex(id)) {
      this.reserve(1 + ((n + 1) >> 1));
      const s = this.scratch;
      s[0] = 0x80 | n;
      for (let i = 0; i < n; i += 2) {
        const high = hexValue(id.charCodeAt(i));
        const low = i + 1 < n ? hexValue(id.charCodeAt(i + 1)) : 0;
        s[1 + (i >> 1)] = (high << 4) | low;
      }
      this.scratchLength = 1 + ((n + 1) >> 1);
      return;
    }
    const text = UTF8.encode(id);
    const header = text.length < 127 ? 1 : 5;
    this.reserve(header + text.length);
    const s = this.scratch;
    if (header === 1) s[0] = text.length;
    else {
      s[0] = 127;
      new DataView(s.buffer).setUint32(1, text.length, true);
    }
    s.set(text, header);
    this.scratchLength = header + text.length;
  }

  private reserve(n: number): void {
    if (n > this.scratch.length) this.scratch = new Uint8Array(Math.max(n, this.scratch.length * 2));
  }
}

const UTF8 = new TextEncoder();

function isLowerHex(id: string): boolean {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : c - 87;
}

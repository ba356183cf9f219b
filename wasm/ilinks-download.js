// A record's download, read as it arrives (ilinks-record.js): its chunks wait
// here until the viewer takes them, so the network never waits for the
// WebAssembly to start, and the viewer reads the entries while the rest is
// still coming (ilinks_viewer_load_fhir_more).
export class Download {
  src;
  expected = 0;  // the Content-Length, as a hint (with a compressed body it is the smaller, compressed size)
  #chunks = [];
  #done = false;
  #error = null;
  #wake = null;
  #abort = new AbortController();

  constructor(src) {
    this.src = src;
    this.#run();
  }

  async #run() {
    try {
      const response = await fetch(this.src, { signal: this.#abort.signal });
      if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`);
      this.expected = Number(response.headers.get('content-length')) || 0;
      if (!response.body) {
        this.#arrived(new Uint8Array(await response.arrayBuffer()));
      } else {
        const reader = response.body.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          this.#arrived(value);
        }
      }
    } catch (e) {
      this.#error = e;
    }
    this.#done = true;
    this.#notify();
  }

  #arrived(chunk) {
    if (chunk.length) this.#chunks.push(chunk);
    this.#notify();
  }

  #notify() {
    const wake = this.#wake;
    this.#wake = null;
    if (wake) wake();
  }

  // The chunks that came since the last call, waiting for at least one; []
  // once everything is in. Throws what went wrong with the download (what the
  // server answered, or the network's error), after the chunks before it.
  async next() {
    while (!this.#chunks.length && !this.#done) await new Promise((resolve) => { this.#wake = resolve; });
    if (this.#chunks.length) return this.#chunks.splice(0);
    if (this.#error) throw this.#error;
    return [];
  }

  // Whether every byte has come (or the download failed): nothing more to wait for.
  get finished() { return this.#done; }

  // Stops the download: its record is no longer wanted.
  cancel() { this.#abort.abort(); }
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../../src/store/db.js";
import { openChainIndex } from "../../../src/store/repos/chain-index.js";

/** A chain index over a real LevelDB store in a fresh directory; `close` closes the store and removes it. */
export async function tempChainIndex(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `debtrail-${name}-`));
  const store = await openStore(dir, name);
  return {
    store,
    index: openChainIndex(store),
    async close(): Promise<void> {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

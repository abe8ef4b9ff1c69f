import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, TypedBatch, type Store } from "../../src/store/db.js";

/** One data dir opened twice (as the API and `debtrail oracle` do): a host and a guest over the store's socket. */
describe("a store shared by several openers of one data dir", () => {
  const opened: Store[] = [];
  const dirs: string[] = [];
  const open = async (dir: string) => {
    const s = await openStore(dir, "ns-test", { electionTimeoutMs: 5_000 });
    opened.push(s);
    return s;
  };
  const newDir = () => {
    const d = mkdtempSync(join(tmpdir(), "debtrail-shared-"));
    dirs.push(d);
    return d;
  };
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("the first opener hosts; a second is its guest: reads, writes, batches, ranges and snapshots agree", async () => {
    const dir = newDir();
    const host = await open(dir);
    const guest = await open(dir);
    expect(host.role).toBe("host");
    expect(guest.role).toBe("guest");
    const h = host.sub<{ n: number }>("items");
    const g = guest.sub<{ n: number }>("items");
    await g.put("a", { n: 1 });
    expect(await h.get("a")).toEqual({ n: 1 });
    expect(await g.get("missing")).toBeUndefined();
    // Atomic batch across sublevels from the guest; more entries than one page of the guest's iterator.
    const batch = new TypedBatch();
    for (let i = 0; i < 600; i++) batch.put(g, `k${String(i).padStart(4, "0")}`, { n: i });
    batch.put(guest.sub<number>("other"), "x", 7).del(g, "a");
    await batch.write(guest);
    expect(await host.sub<number>("other").get("x")).toBe(7);
    expect(await h.get("a")).toBeUndefined();
    const keys: string[] = [];
    for await (const [k] of g.iterator()) keys.push(k);
    expect(keys).toHaveLength(600);
    expect(keys[599]).toBe("k0599");
    const last: number[] = [];
    for await (const v of g.values({ reverse: true, limit: 300, gte: "k0100" })) last.push(v.n);
    expect(last).toHaveLength(300);
    expect(last[0]).toBe(599);
    expect(last[299]).toBe(300);
    // A guest's snapshot does not see later writes.
    const snap = guest.snapshot();
    expect((await g.get("k0001", { snapshot: snap }))?.n).toBe(1);
    await h.put("k0001", { n: -1 });
    expect((await g.get("k0001", { snapshot: snap }))?.n).toBe(1);
    const seen: number[] = [];
    for await (const v of g.values({ snapshot: snap, limit: 3 })) seen.push(v.n);
    expect(seen).toEqual([0, 1, 2]);
    await snap.close();
    expect((await g.get("k0001"))?.n).toBe(-1);
  });

  it("a guest iterates every entry of large values (a page is not cut short by the host's read budget)", async () => {
    const dir = newDir();
    const host = await open(dir);
    const guest = await open(dir);
    const text = "债".repeat(2000);
    const batch = new TypedBatch();
    for (let i = 0; i < 700; i++) batch.put(host.sub<{ i: number; text: string }>("big"), String(i).padStart(4, "0"), { i, text });
    await batch.write(host);
    let n = 0;
    for await (const v of guest.sub<{ i: number; text: string }>("big").values()) {
      expect(v.i).toBe(n++);
      expect(v.text).toBe(text);
    }
    expect(n).toBe(700);
    let back = 0;
    for await (const _ of guest.sub("big").iterator({ reverse: true, lt: "0600" })) back++;
    expect(back).toBe(600);
  });

  it("the socket is the owner's only; a data dir too deep for a socket path gets one in a private directory", async () => {
    const { statSync } = await import("node:fs");
    const { socketPathOf } = await import("../../src/store/shared.js");
    const dir = newDir();
    await open(dir);
    expect(statSync(socketPathOf(dir)).mode & 0o777).toBe(0o600);
    const deep = join(newDir(), "x".repeat(60), "y".repeat(60));
    const path = socketPathOf(deep);
    expect(path.startsWith(join(deep))).toBe(false);
    const a = await open(deep);
    const b = await open(deep);
    expect([a.role, b.role]).toEqual(["host", "guest"]);
    expect(statSync(join(path, "..")).mode & 0o777).toBe(0o700);
  });

  it("a lock spans both: the sections of host and guest never overlap", async () => {
    const dir = newDir();
    const host = await open(dir);
    const guest = await open(dir);
    const trace: string[] = [];
    const section = (who: string) => async () => {
      trace.push(`${who}+`);
      await new Promise((r) => setTimeout(r, 20));
      trace.push(`${who}-`);
    };
    await Promise.all([
      host.exclusive("L", section("h1")), guest.exclusive("L", section("g1")),
      host.exclusive("L", section("h2")), guest.exclusive("L", section("g2")),
      guest.exclusive("other", async () => trace.push("o")),
    ]);
    const inL = trace.filter((t) => t !== "o");
    for (let i = 0; i < inL.length; i += 2) expect(inL[i + 1]).toBe(inL[i].replace("+", "-"));
  });

  it("when the host closes, a guest takes over the same data; a later opener is its guest", async () => {
    const dir = newDir();
    const host = await open(dir);
    const guest = await open(dir);
    await guest.sub<number>("s").put("before", 1, { sync: true });
    await host.close();
    opened.splice(opened.indexOf(host), 1);
    expect(await guest.sub<number>("s").get("before")).toBe(1);
    expect(guest.role).toBe("host");
    await guest.sub<number>("s").put("after", 2);
    const third = await open(dir);
    expect(third.role).toBe("guest");
    expect(await third.sub<number>("s").get("after")).toBe(2);
  });
});

import { expect } from "chai";

import { openPgliteDriver, readPriority, type SqlDriver } from "../src/store/index.ts";

describe("PGlite turns: the writer first, one read per event-loop turn, cheapest query first", function () {
  this.timeout(30_000);
  let driver: SqlDriver;

  before(async () => {
    driver = await openPgliteDriver();
  });

  after(async () => {
    await driver.close();
  });

  it("lets I/O and timers in between two queued reads instead of running every read first", async () => {
    const done: number[] = [];
    const reads = Array.from({ length: 20 }, (_, i) =>
      driver.read("SELECT $1::int AS n", [i]).then(() => done.push(i)),
    );
    let readsBeforeTimer = -1;
    setTimeout(() => (readsBeforeTimer = done.length), 0);
    await Promise.all(reads);
    expect(done).to.have.length(20);
    expect(readsBeforeTimer).to.be.within(0, 2);
  });

  it("gives a waiting read of a cheaper query its turn first, then reads of equal cost in arrival order", async () => {
    const order: string[] = [];
    const read = (name: string, cost: number) =>
      readPriority.run(cost, () => driver.read("SELECT 1").then(() => order.push(name)));
    await Promise.all([read("page 1", 300), read("page 2", 300), read("lookup", 1), read("page 3", 300)]);
    expect(order).to.deep.equal(["lookup", "page 1", "page 2", "page 3"]);
  });

  it("holds reads back while the writer works, then answers them", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const writing = driver.exclusive(async () => {
      await held;
      await driver.query("SELECT 1");
    });
    let answered = false;
    const read = driver.read("SELECT 1").then(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).to.equal(false);
    release();
    await writing;
    await read;
    expect(answered).to.equal(true);
  });
});

import { describe, it, expect } from "vitest";
import { loadConfig, deployOptionsFrom } from "../../src/config/config.js";

const dev = { DEBTRAIL_DEV_CHAIN: "1", DATA_DIR: "/tmp/debtrail-config-test" };

describe("MIN_NOTICE_DAYS and the retired APPEAL_PERIOD_SECONDS", () => {
  it("MIN_NOTICE_DAYS defaults to 7 and goes to the deployment", () => {
    const config = loadConfig(dev);
    expect(config.oracle.minNoticeDays).toBe(7);
    expect(deployOptionsFrom(config, {}).minNoticeDays).toBe(7);
    expect(deployOptionsFrom(loadConfig({ ...dev, MIN_NOTICE_DAYS: "30" }), {}).minNoticeDays).toBe(30);
  });

  it.each(["0", "-1", "1.5", "366", "seven"])("MIN_NOTICE_DAYS=%s is refused naming the variable", (value) => {
    expect(() => loadConfig({ ...dev, MIN_NOTICE_DAYS: value })).toThrow(expect.objectContaining({ field: "MIN_NOTICE_DAYS" }));
  });

  it("APPEAL_PERIOD_SECONDS is refused: an arbitral award is final, there is no appeal period to set", () => {
    expect(() => loadConfig({ ...dev, APPEAL_PERIOD_SECONDS: "259200" })).toThrow(expect.objectContaining({ field: "APPEAL_PERIOD_SECONDS" }));
  });
});

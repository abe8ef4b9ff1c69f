import { describe, it, expect } from "vitest";
import { t } from "../../src/i18n/messages.js";

describe("messages", () => {
  describe("t", () => {
    it("在线诉讼规则第十六至十八条: the certificate says 自锚定（区块时间…）后未被改动 and labels the event time as the recorder's statement", () => {
      expect(t("zh-CN", "cert.verifiedText", { blockTime: "2025-03-01T00:00:00.000Z", chainId: 7 })).toBe(
        "该记录自锚定（区块时间 2025-03-01T00:00:00.000Z）后未被改动：其默克尔根已在下列区块和交易中锚定于链 7。");
      expect(t("en", "cert.verifiedText", { blockTime: "T", chainId: 7 })).toContain("has not been changed since it was anchored (block time T)");
      expect(t("zh-CN", "cert.occurredAt")).toBe("事件发生时间（记录人陈述）");
      expect(t("en", "cert.occurredAt")).toBe("Time of the event (the recorder's statement)");
      expect(t("zh-CN", "cert.scope")).toContain("《人民法院在线诉讼规则》第十六条至第十八条");
      expect(t("en", "cert.scope")).toContain("arts. 16–18");
    });
    it("a survey record is a 现场勘察 (field survey), not 尽职调查", () => {
      expect(t("zh-CN", "kind.survey")).toBe("现场勘察");
      expect(t("en", "kind.survey")).toBe("field survey");
    });
  });
});

import { describe, it, expect } from "vitest";
import { t } from "../../src/i18n/messages.js";

describe("messages", () => {
  describe("t", () => {
    it("a survey record is a 现场勘察 (field survey), not 尽职调查", () => {
      expect(t("zh-CN", "kind.survey")).toBe("现场勘察");
      expect(t("en", "kind.survey")).toBe("field survey");
    });
  });
});

import { expect } from "vitest";
import { call, claimRequest, type TestStack } from "../helpers/stack.js";
import { chainTimeMs } from "../helpers/clock.js";

/**
 * Records a demand letter with `content` on a fresh claim held by dev-amc (then `others` more letters
 * in the same batch, so the proof is not empty), anchors them (flush as dev-admin) and returns the
 * first letter's proof bundle (the receipt without `status`) and record id.
 */
export async function anchoredLetter(stack: TestStack, contractNo: string, content: string, others = 0): Promise<{ recordId: string; bundle: any }> {
  const registered = await call(stack, "POST", "/v1/claims", "dev-bank", claimRequest(contractNo));
  expect(registered.status).toBe(201);
  const claimId = registered.body.claimId;
  const amc = (await call(stack, "GET", "/v1/me", "dev-amc")).body.address;
  const sold = await call(stack, "POST", "/v1/assignments", "dev-bank", { claimIds: [claimId], to: amc, packageId: `PKG-${contractNo}`, price: "1000", notice: "债权转让通知" });
  expect(sold.status).toBe(201);
  // Letters (not bound to contact hours) sent just after the sale, by the chain's clock.
  const soldAt = await chainTimeMs(stack.chainUrl);
  const letter = (text: string, hour: number) => call(stack, "POST", "/v1/evidence", "dev-amc", {
    claimId,
    kind: "letter",
    channel: "post",
    direction: "outbound",
    occurredAt: new Date(soldAt + hour * 1000).toISOString(),
    actor: "collector-007",
    counterparty: { name: "张三", relation: "debtor" },
    content: text,
  });
  const first = await letter(content, 0);
  expect(first.status).toBe(201);
  const recordId: string = first.body.recordId;
  for (let i = 1; i <= others; i++) expect((await letter(`${content} (${i})`, i)).status).toBe(201);
  const flushed = await call(stack, "POST", "/v1/evidence/flush", "dev-admin");
  expect(flushed.status).toBe(200);
  // A batch may also close on age by itself; wait for the receipt either way.
  let receipt: any;
  for (let i = 0; i < 150; i++) {
    receipt = (await call(stack, "GET", `/v1/evidence/${recordId}/receipt`, "dev-amc")).body;
    if (receipt.status === "anchored") break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(receipt.status).toBe("anchored");
  const { status: _status, ...bundle } = receipt;
  return { recordId, bundle };
}

import { Type, type TSchema } from "typebox";
import { Compile } from "typebox/compile";
import { PRODUCTS, DEBTOR_TYPES } from "../core/claim-input.js";
import { ValidationError } from "../core/errors.js";

/**
 * Checks one item of a batch body (`list[index]`) as the single route's schema would, the error naming the
 * field in batch terms (e.g. `records[3].kind`): an invalid item of a batch fails alone.
 */
export function itemChecker(schema: TSchema, list: string): (item: unknown, index: number) => ValidationError | undefined {
  const shape = Compile(schema);
  return (item, index) => {
    if (shape.Check(item)) return undefined;
    const [first] = shape.Errors(item);
    const params = first?.params as { requiredProperties?: string[]; additionalProperties?: string[] } | undefined;
    const path = (first?.instancePath ?? "").split("/").filter(Boolean);
    const extra = params?.additionalProperties?.[0];
    const missing = params?.requiredProperties?.[0];
    const field = [`${list}[${index}]`, ...path, missing ?? extra].filter(Boolean).join(".");
    return new ValidationError(field, extra ? "is not an allowed property" : first?.message ?? "is invalid");
  };
}

/** A string that is one of `values` (a JSON-schema enum), typed as their union. */
export function oneOf<const T extends readonly string[]>(values: T, description?: string) {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], description });
}

/** Money on the wire: a decimal string of minor units (fen). */
export const Money = Type.String({ pattern: "^(0|[1-9][0-9]{0,38})$", description: "decimal string of minor units (fen), e.g. \"1250000\" = 12,500.00" });
export const Address = Type.String({ pattern: "^0x[0-9a-fA-F]{40}$", description: "EVM address" });
export const Bytes32 = Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description: "0x-prefixed 32-byte hex" });
export const TxHash = Bytes32;
export const IsoDate = Type.String({ minLength: 10, maxLength: 35, description: "YYYY-MM-DD or ISO 8601 date-time" });

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: "stable error code, e.g. VALIDATION, CONFLICT" }),
    message: Type.String(),
    field: Type.Optional(Type.String()),
    rule: Type.Optional(Type.String()),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    code: Type.Optional(Type.String({ description: "the message's code (src/i18n/errors.ts), e.g. validation.required, auth.unknown-key: what the console and CLI render in their language" })),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "the message's placeholders, e.g. {field}" })),
  },
  { $id: "Error", description: "message is in the language of Accept-Language (zh… → zh-CN, else English)" },
);

/** The error responses a route may give, for its `response` schema. */
export function errors(...codes: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const c of [...codes, 429, 500, 503]) out[c] = Type.Ref("Error");
  return out;
}

export const ClauseTermsSchema = Type.Object(
  {
    warnDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 36500 })),
    demandDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 36500 })),
    arbitrationDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 36500 })),
    coverageBps: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    noticeDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 36500 })),
  },
  { additionalProperties: false },
);

export const DebtorSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    idNumber: Type.String({ minLength: 1, maxLength: 64 }),
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 32 })),
    type: oneOf(DEBTOR_TYPES),
    debtorId: Type.String({ minLength: 1, maxLength: 64 }),
    address: Type.Optional(Type.String({ maxLength: 500 })),
    timeZone: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const CollateralSchema = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 32, description: "residential, commercial, industrial, land, equipment, vehicle, ..." }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    region: Type.Optional(Type.String({ maxLength: 64 })),
    areaSqm: Type.Optional(Type.Number({ minimum: 0, maximum: 1e7 })),
    appraisedValue: Type.Optional(Money),
    appraisedAt: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

const Day = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "YYYY-MM-DD" });
const Flag = (description: string) => Type.Boolean({ description });

/** Optional legal terms of a claim (core/claim-legal.ts checks them; names the field and rule). Off chain only. */
export const LegalTermsSchema = Type.Object(
  {
    rates: Type.Optional(Type.Object({
      annualRateBps: Type.Integer({ minimum: 0, maximum: 100_000, description: "contract annual rate, basis points" }),
      penaltyMarkupBps: Type.Optional(Type.Integer({ description: "penalty markup over the contract rate, 3000–5000 (银发〔2003〕251号)" })),
      compound: Type.Optional(Flag("compound interest on overdue interest agreed")),
    }, { additionalProperties: false })),
    installments: Type.Optional(Type.Array(Day, { minItems: 1, maxItems: 600, description: "installment due dates, ascending; the limitation period runs from the last (诉讼时效规定第四条)" })),
    guarantors: Type.Optional(Type.Array(Type.Object({
      name: Type.String({ minLength: 1, maxLength: 200 }),
      idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      type: oneOf(["joint", "general"] as const, "连带责任保证 or 一般保证 (民法典第686–688条)"),
      periodEndsAt: Type.Optional(Day),
      natural: Type.Optional(Flag("a natural person (default true)")),
    }, { additionalProperties: false }), { maxItems: 20 })),
    arbitrationClause: Type.Optional(Type.Object({
      intent: Flag("a written intent to arbitrate"), coversDisputes: Flag("it covers the loan's disputes"),
      commission: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "the commission it names" })),
      alsoCourt: Type.Optional(Flag("it also lets either side go to court (或裁或诉: invalid)")),
    }, { additionalProperties: false, description: "仲裁法第16条: valid with intent, matters and a named commission" })),
    notarised: Type.Optional(Type.Object({ enforceable: Flag("赋强公证"), certificate: Flag("执行证书 issued") }, { additionalProperties: false })),
    accelerationAllowed: Type.Optional(Flag("the contract lets the creditor declare the whole loan due (提前到期)")),
    repaymentAccount: Type.Optional(Type.Object({ name: Type.String(), bank: Type.String(), number: Type.String() }, { additionalProperties: false })),
    bankruptcy: Type.Optional(Type.Object({ acceptedAt: Day, announcedAt: Day, filingDeadline: Day, filedAt: Type.Optional(Day) }, {
      additionalProperties: false, description: "the court accepted a bankruptcy case: collection contacts are refused, the filing deadline tracked (企业破产法第16、45、48条)",
    })),
    objection: Type.Optional(Flag("the debtor disputes the debt (异议): collection pauses")),
  },
  { additionalProperties: false, description: "optional legal terms (issue 17): today's clients need not send them" },
);

export const ClaimRequestSchema = Type.Object(
  {
    originatorCode: Type.String({ pattern: "^[A-Za-z0-9_-]{1,31}$" }),
    contractNo: Type.String({ minLength: 1, maxLength: 128 }),
    debtor: DebtorSchema,
    principal: Money,
    outstanding: Money,
    currency: Type.Optional(Type.String({ pattern: "^[A-Za-z]{3}$" })),
    originatedAt: IsoDate,
    maturityAt: IsoDate,
    product: oneOf(PRODUCTS),
    region: Type.Optional(Type.String({ maxLength: 64, description: "a region of GB/T 2260 by key, Chinese or English name or code (shanghai, 上海, Shanghai, 310000); stored as its key" })),
    collateral: Type.Optional(CollateralSchema),
    documentsRoot: Type.Optional(Bytes32),
    clauses: Type.Optional(ClauseTermsSchema),
    legal: Type.Optional(LegalTermsSchema),
    confirmImplausible: Type.Optional(Type.Boolean({ description: "true: the amounts are right although they look like a typing error (a principal under ¥100, an outstanding over 3× the principal), which is otherwise refused" })),
  },
  { additionalProperties: false, $id: "ClaimRequest" },
);

export const ClauseTermsOut = Type.Object({
  warnDays: Type.Integer(),
  demandDays: Type.Integer(),
  arbitrationDays: Type.Integer(),
  coverageBps: Type.Integer(),
  noticeDays: Type.Integer(),
});

export const TxResult = Type.Object({ txHash: TxHash, blockNumber: Type.Integer() });

/** Every read of chain facts names the block the chain index reflected when it answered. */
export const AsOfBlock = Type.Union([Type.Integer(), Type.Null()], {
  description: "the last block the chain index reflected when answering (null before the first indexed block); pass a write's blockNumber as ?minBlock= to read after it",
});

/** `?minBlock=`: wait (up to 10 s, else 503) until the chain index reached this block. */
export const MinBlock = Type.String({
  pattern: "^(0|[1-9][0-9]{0,14})$",
  description: "wait until the chain index reached this block (e.g. a write's blockNumber), at most 10 s; 503 naming the reason if it does not",
});

/** The query parameters of a read of chain facts: `?minBlock=` and, to wait for that very block (not another branch's), `&minBlockHash=`. */
export const ReadQueryProps = {
  minBlock: Type.Optional(MinBlock),
  minBlockHash: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description: "with minBlock: the write's blockHash, so that a block of another branch at that height does not count" })),
};

/** The querystring of a read that takes nothing but `minBlock` (and `minBlockHash`). */
export const ReadQuery = Type.Object(ReadQueryProps, { additionalProperties: false });

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
  },
  { $id: "Error" },
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
    region: Type.Optional(Type.String({ maxLength: 64 })),
    collateral: Type.Optional(CollateralSchema),
    documentsRoot: Type.Optional(Bytes32),
    clauses: Type.Optional(ClauseTermsSchema),
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

import { ConflictError, ForbiddenError, ValidationError } from "../../core/errors.js";
import { bytes32ToOriginatorCode } from "../../chain/roles.js";
import { ChainRevertError } from "../../chain/errors.js";

/** Maps a ClaimRegistry revert to the error a caller understands. */
export function claimRevertToError(e: unknown): unknown {
  if (!(e instanceof ChainRevertError)) return e;
  const [first] = e.args as string[];
  switch (e.errorName) {
    case "ClaimAlreadyRegistered":
      return new ConflictError("already-registered", `claim ${first} is already registered`, { claimId: first });
    case "OriginatorCodeNotHeld":
      return new ForbiddenError(`originator code ${bytes32ToOriginatorCode(first)} is not bound to the caller's account`);
    case "AccessControlUnauthorizedAccount":
      return new ForbiddenError("the caller's account lacks the on-chain role for this");
    case "NotClaimHolder":
      return new ConflictError("not-holder", `claim ${first} is not held by the caller`, { claimId: first });
    case "ClaimResaleRestricted":
      return new ConflictError("resale-restricted", `claim ${first} may not be sold again`, { claimId: first });
    case "BuyerNotHolder":
      return new ValidationError("to", "must hold the HOLDER role (a licensed AMC or qualified investor)");
    case "EnforcedPause":
      return new ConflictError("paused", "the registry is paused by its administrator");
    case "NoticeDaysBelowMinimum":
      return new ValidationError("clauses.noticeDays", `must be at least ${e.args[2]} (the deployment's minimum notice period)`);
    default:
      return e;
  }
}

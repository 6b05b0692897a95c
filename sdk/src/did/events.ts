/**
 * The canonical DID-event model: one shape for an ERC-1056 `DIDRegistry` change whatever answered it (the chain's
 * logs, the subgraph, the local indexer), the shape ethr-did-resolver's log parser produces and the document
 * builder replays.
 */
import { bytes32toString } from "ethr-did-resolver";
import { getAddress } from "ethers";

/** Fields every canonical ERC-1056 event carries. */
interface CanonicalEventBase {
  /** Checksummed identity address. */
  identity: string;
  /** Block of the identity's change before this one, 0 if none. */
  previousChange: bigint;
  blockNumber: number;
}

/** DIDOwnerChanged: `owner` checksummed, the zero address when the DID was deactivated. */
export interface CanonicalOwnerChanged extends CanonicalEventBase {
  _eventName: "DIDOwnerChanged";
  owner: string;
}

/** DIDDelegateChanged: `delegateType` decoded from bytes32 (e.g. `veriKey`), `delegate` checksummed. */
export interface CanonicalDelegateChanged extends CanonicalEventBase {
  _eventName: "DIDDelegateChanged";
  delegateType: string;
  delegate: string;
  validTo: bigint;
}

/** DIDAttributeChanged: `name` decoded from bytes32 (e.g. `did/svc/HubService`), `value` lower-case hex. */
export interface CanonicalAttributeChanged extends CanonicalEventBase {
  _eventName: "DIDAttributeChanged";
  name: string;
  value: string;
  validTo: bigint;
}

/** One DIDRegistry event in canonical form. */
export type CanonicalDIDEvent = CanonicalOwnerChanged | CanonicalDelegateChanged | CanonicalAttributeChanged;

/** An IdentityEvent of the subgraph, as JSON. */
export interface IdentityEventRow {
  __typename: "OwnerChanged" | "DelegateChanged" | "AttributeChanged";
  sequence: number;
  previousChange: string;
  blockNumber: string;
  timestamp: string;
  owner?: string;
  delegateType?: string;
  delegate?: string;
  name?: string;
  value?: string;
  validTo?: string;
}

/**
 * Maps one subgraph IdentityEvent into its canonical event, or null where ethr-did-resolver ignores the log (a
 * bytes32 name or delegate type that is not UTF-8).
 *
 * @example
 * const event = canonicalEvent("0x8ba1f109551bD432803012645Ac136ddd64DBA72", row); // row from IDENTITY_HISTORY_QUERY
 */
export function canonicalEvent(identity: string, row: IdentityEventRow): CanonicalDIDEvent | null {
  const base = { identity, previousChange: BigInt(row.previousChange), blockNumber: Number(row.blockNumber) };
  switch (row.__typename) {
    case "OwnerChanged":
      return { ...base, _eventName: "DIDOwnerChanged", owner: getAddress(row.owner!) };
    case "DelegateChanged": {
      const delegateType = bytes32toString(row.delegateType!);
      if (delegateType === null) return null;
      const delegate = getAddress(row.delegate!);
      return { ...base, _eventName: "DIDDelegateChanged", delegateType, delegate, validTo: BigInt(row.validTo!) };
    }
    case "AttributeChanged": {
      const name = bytes32toString(row.name!);
      if (name === null) return null;
      return { ...base, _eventName: "DIDAttributeChanged", name, value: row.value!, validTo: BigInt(row.validTo!) };
    }
  }
}

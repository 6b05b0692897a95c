/**
 * The EIP-712 types of the trust layer's signed requests, exactly as the contracts hash them (the `*_TYPEHASH`
 * constants of `contracts/interfaces/`). Sign with the domain the contract reports (`eip712DomainOf`).
 */

/** `RealNameRegistry.attestBySig`: signed by the issuer or its `veriKey` delegate, nonce of the issuer. */
export const ATTESTATION_TYPES = {
  Attestation: [
    { name: "issuer", type: "address" },
    { name: "signer", type: "address" },
    { name: "identity", type: "address" },
    { name: "owner", type: "address" },
    { name: "level", type: "uint8" },
    { name: "expiry", type: "uint40" },
    { name: "commitment", type: "bytes32" },
    { name: "scope", type: "bytes32" },
    { name: "nullifier", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** `RealNameRegistry.discloseBySig`: signed by the DID's owner, nonce of the owner. */
export const DISCLOSURE_TYPES = {
  Disclosure: [
    { name: "owner", type: "address" },
    { name: "identity", type: "address" },
    { name: "realName", type: "string" },
    { name: "salt", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** `RealNameRegistry.renounceBySig`: signed by the DID's owner, nonce of the owner. */
export const RENUNCIATION_TYPES = {
  Renunciation: [
    { name: "owner", type: "address" },
    { name: "identity", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** `StatusRegistry.setStatusBySig`: signed by the issuer or its `veriKey` delegate, nonce of the issuer. */
export const STATUS_UPDATE_TYPES = {
  StatusUpdate: [
    { name: "issuer", type: "address" },
    { name: "signer", type: "address" },
    { name: "purpose", type: "uint8" },
    { name: "index", type: "uint256" },
    { name: "value", type: "bool" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

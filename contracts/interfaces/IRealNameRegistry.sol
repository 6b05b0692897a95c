// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IRealNameRegistry
/// @notice Real-name attestations: an accredited issuer states that a DID belongs to a person it verified at an
/// assurance level (see IIssuerRegistry), until an expiry. One current attestation per DID; a new one replaces
/// it (renewal, upgrade, change of issuer). Nothing personal is stored: only the issuer, level, expiry, a status
/// index in the issuer's status lists and a salted commitment
/// `keccak256(abi.encode(identity, keccak256(bytes(realName)), salt))` with a 32-byte random salt.
///
/// Issuance paths, all subject to the same issuer checks (accredited, not suspended, level within its maximum,
/// caller or signer is the issuer or a `veriKey` delegate of its DID):
///  - {attest}: the issuer (or delegate) sends;
///  - {attestBatch}: many identities with one level, expiry and scope;
///  - {attestBySig}: an EIP-712 `Attestation` signed by the issuer (or delegate, or an EIP-1271 wallet), relayed
///    by anyone;
///  - {anchorRoot} + {claim}: the issuer anchors one Merkle root for many identities; anyone claims a leaf into
///    storage with its proof. Leaves are OpenZeppelin StandardMerkleTree leaves
///    `keccak256(bytes.concat(keccak256(abi.encode(chainId, registry, issuer, level, expiry, index, identity,
///    owner, commitment, scope, nullifier))))` (types: uint256, address, address, uint8, uint40, uint256, address,
///    address, bytes32, bytes32, bytes32) where issuer, level and expiry are the root's; each leaf index is
///    claimable once.
///
/// Ownership policy: a verification is not for sale. An attestation records the DID's owner
/// (`DIDRegistry.identityOwner`) when it is made (signed and Merkle attestations name the owner the issuer
/// checked and revert with {RealNameRegistryOwnerChanged} if it moved since). After any ownership change
/// {isVerified} is false with reason `OwnerChanged` until the issuer confirms the new owner with {reconfirm}, so
/// a verified account cannot be handed over silently.
///
/// Scoped attestations (optional): an issuer may bind an attestation to a `scope` (a platform's domain hash) with
/// a scoped `nullifier` it derives off chain (e.g. HMAC(issuerSecret, person || scope)). A nullifier is held by
/// at most one DID per scope: attesting it to another DID reverts with {RealNameRegistryNullifierUsed} while
/// the holder's attestation still carries it and is unexpired, unrevoked and its DID active. Replacing the
/// holder's attestation (by any issuer) with another scope or nullifier releases it. Platforms read a DID's
/// scope and nullifier with {getScope} and enforce "one verified account per person".
///
/// Public disclosure: the DID's owner may reveal the real name and salt behind the commitment ({disclose} or the
/// relayed {discloseBySig}). A disclosed name is public forever: it stays in the chain's history and events even
/// after the attestation expires, is revoked or replaced; {disclosedName} only stops returning it then.
/// @custom:invariant isVerified(identity, level) implies: the issuer is accredited and active with maximum level
/// at least the attestation's level, the attestation is unexpired with level >= the requested level, its
/// revocation and suspension bits are clear, the DID is not deactivated and its owner is the recorded one.
interface IRealNameRegistry {
    /// @notice Why an identity is or is not verified; `Verified` means it is.
    enum Reason {
        Verified,
        NoAttestation,
        Expired,
        LevelTooLow,
        IssuerNotAccredited,
        IssuerSuspended,
        IssuerLevelExceeded,
        Revoked,
        Suspended,
        DIDDeactivated,
        OwnerChanged
    }

    /// @notice How an attestation was issued.
    enum IssuancePath {
        Direct,
        Batch,
        Signed,
        MerkleClaim
    }

    /// @notice What an issuer attests about one identity.
    /// @param identity the DID's address
    /// @param level assurance level (1..3)
    /// @param expiry unix time after which the attestation no longer verifies
    /// @param commitment `keccak256(abi.encode(identity, keccak256(bytes(realName)), salt))`
    /// @param scope platform domain hash, zero for an unscoped attestation
    /// @param nullifier scoped nullifier, zero exactly when `scope` is zero
    struct AttestationData {
        address identity;
        uint8 level;
        uint40 expiry;
        bytes32 commitment;
        bytes32 scope;
        bytes32 nullifier;
    }

    /// @notice One leaf of an anchored Merkle root; issuer, level and expiry come from the root.
    /// @param index leaf number, below the root's `count`; each index is claimable once
    /// @param owner the DID owner the issuer checked
    struct MerkleLeaf {
        uint256 index;
        address identity;
        address owner;
        bytes32 commitment;
        bytes32 scope;
        bytes32 nullifier;
    }

    /// @notice An anchored Merkle root: one storage slot.
    struct MerkleRoot {
        address issuer;
        uint8 level;
        uint40 expiry;
        uint32 count;
    }

    /// @notice The full verification record of an identity.
    /// @param reason `Verified`, or the first reason found why not (checked in the enum's order)
    /// @param owner the owner recorded when the attestation was made or last reconfirmed
    /// @param disclosed whether the holder disclosed the real name behind the current commitment
    struct Verification {
        Reason reason;
        address issuer;
        uint8 level;
        uint40 expiry;
        uint40 statusIndex;
        address owner;
        bytes32 commitment;
        bytes32 scope;
        bytes32 nullifier;
        bool disclosed;
    }

    /// @notice The zero address was given where an account is required.
    error RealNameRegistryZeroAddress();

    /// @notice `expiry` is not in the future.
    error RealNameRegistryExpired(uint256 expiry);

    /// @notice A batch of `size` identities is empty or exceeds `max` (see {MAX_BATCH_SIZE}).
    error RealNameRegistryInvalidBatchSize(uint256 size, uint256 max);

    /// @notice Parallel arrays of a batch differ in length.
    error RealNameRegistryLengthMismatch(uint256 identities, uint256 other);

    /// @notice Exactly one of `scope` and `nullifier` is zero.
    error RealNameRegistryInvalidScope(bytes32 scope, bytes32 nullifier);

    /// @notice `nullifier` of `scope` is held by another DID, `holder`, whose attestation is still in force.
    error RealNameRegistryNullifierUsed(bytes32 scope, bytes32 nullifier, address holder);

    /// @notice The owner of `identity` is `actual`, not `expected` (the one checked or recorded by the issuer).
    error RealNameRegistryOwnerChanged(address identity, address expected, address actual);

    /// @notice `identity` was deactivated in the DIDRegistry.
    error RealNameRegistryDIDDeactivated(address identity);

    /// @notice `identity` has no attestation.
    error RealNameRegistryNoAttestation(address identity);

    /// @notice `identity`'s attestation does not verify, because of `reason`.
    error RealNameRegistryNotVerified(address identity, Reason reason);

    /// @notice `actor` may not act for `identity`, whose owner is `owner`.
    error RealNameRegistryUnauthorizedActor(address identity, address actor, address owner);

    /// @notice A signed request expired at `deadline`.
    error RealNameRegistryDeadlinePassed(uint256 deadline);

    /// @notice The signature is not `signer`'s.
    error RealNameRegistryInvalidSignature(address signer);

    /// @notice `nonce` is not the current nonce `expected` of `authority` (replayed or cancelled).
    error RealNameRegistryInvalidNonce(address authority, uint256 nonce, uint256 expected);

    /// @notice The revealed name and salt hash to `computed`, not to the attestation's `commitment`.
    error RealNameRegistryCommitmentMismatch(address identity, bytes32 commitment, bytes32 computed);

    /// @notice `root` is zero, has no leaves (`count` zero) or was already anchored.
    error RealNameRegistryInvalidRoot(bytes32 root, uint256 count);

    /// @notice `root` was never anchored.
    error RealNameRegistryUnknownRoot(bytes32 root);

    /// @notice Leaf `index` of `root` is not below the root's `count`.
    error RealNameRegistryLeafOutOfRange(bytes32 root, uint256 index, uint256 count);

    /// @notice Leaf `index` of `root` was already claimed.
    error RealNameRegistryAlreadyClaimed(bytes32 root, uint256 index);

    /// @notice The proof does not connect leaf `index` to `root`.
    error RealNameRegistryInvalidProof(bytes32 root, uint256 index);

    /// @notice `issuer` attested `identity` at `level` until `expiry`, with status index `statusIndex` in its
    /// lists, the salted real-name `commitment`, the DID owner `owner` at that time, and `scope` / `nullifier`
    /// (zero when unscoped), through `path`. Replaces any previous attestation of `identity`.
    event Attested(
        address indexed identity,
        address indexed issuer,
        uint8 level,
        uint40 expiry,
        uint256 statusIndex,
        bytes32 commitment,
        address owner,
        bytes32 scope,
        bytes32 nullifier,
        IssuancePath path
    );

    /// @notice The attestation of `identity` by `previousIssuer` with status index `previousStatusIndex` was
    /// replaced by the one in the {Attested} event of the same transaction.
    event AttestationReplaced(address indexed identity, address indexed previousIssuer, uint256 previousStatusIndex);

    /// @notice `issuer` confirmed `owner` as the new owner of `identity`; the attestation verifies again.
    event OwnerReconfirmed(address indexed identity, address indexed issuer, address owner);

    /// @notice `issuer` anchored Merkle `root` of `count` leaves at `level` until `expiry`; `uri` locates the
    /// off-chain tree (each holder's leaf and proof).
    event MerkleRootAnchored(
        address indexed issuer,
        bytes32 indexed root,
        uint8 level,
        uint40 expiry,
        uint32 count,
        string uri
    );

    /// @notice Leaf `index` of `root` was claimed for `identity` (see the {Attested} event of the same transaction).
    event MerkleLeafClaimed(bytes32 indexed root, uint256 indexed index, address indexed identity);

    /// @notice The owner of `identity` publicly disclosed `realName`, attested by `issuer`.
    event Disclosed(address indexed identity, address indexed issuer, string realName);

    /// @notice `authority` invalidated its outstanding signatures; its nonce is now `nonce`.
    event SignaturesCancelled(address indexed authority, uint256 nonce);

    /// @notice Largest batch accepted by {attestBatch} (100 identities, well below the 16,777,216 gas cap even
    /// for scoped attestations).
    function MAX_BATCH_SIZE() external view returns (uint256);

    /// @notice EIP-712 typehash of `Attestation(address issuer,address signer,address identity,uint8 level,
    /// uint40 expiry,bytes32 commitment,bytes32 scope,bytes32 nullifier,address owner,uint256 nonce,uint256 deadline)`:
    /// `signer` is the issuer or its `veriKey` delegate, `owner` the DID owner it checked, `nonce` the issuer's
    /// nonce.
    function ATTESTATION_TYPEHASH() external view returns (bytes32);

    /// @notice EIP-712 typehash of `Disclosure(address owner,address identity,string realName,bytes32 salt,
    /// uint256 nonce,uint256 deadline)`: `owner` is the DID's owner and signer, `nonce` the owner's nonce.
    function DISCLOSURE_TYPEHASH() external view returns (bytes32);

    /// @notice The DIDRegistry (owners, deactivation).
    function didRegistry() external view returns (address);

    /// @notice The IssuerRegistry (trust list).
    function issuerRegistry() external view returns (address);

    /// @notice The StatusRegistry (revocation and suspension lists).
    function statusRegistry() external view returns (address);

    /// @notice Semantic version of this registry.
    function version() external view returns (string memory);

    /// @notice Attests `data` as `issuer`; the caller is the issuer or its `veriKey` delegate. Records the
    /// DID's current owner and allocates the issuer's next status index.
    function attest(address issuer, AttestationData calldata data) external returns (uint256 statusIndex);

    /// @notice Attests every `identities[i]` with `commitments[i]` (and `nullifiers[i]` when `scope` is not zero;
    /// `nullifiers` is empty otherwise) at one `level`, `expiry` and `scope`; at most {MAX_BATCH_SIZE}.
    /// @return firstStatusIndex status index of `identities[0]`; the others follow consecutively
    function attestBatch(
        address issuer,
        uint8 level,
        uint40 expiry,
        bytes32 scope,
        address[] calldata identities,
        bytes32[] calldata commitments,
        bytes32[] calldata nullifiers
    ) external returns (uint256 firstStatusIndex);

    /// @notice {attest} authorised by an EIP-712 `Attestation` signature of `signer` (the issuer or its `veriKey`
    /// delegate; EIP-1271 wallets too), relayed by anyone. `owner` is the DID owner the issuer checked.
    function attestBySig(
        address issuer,
        address signer,
        AttestationData calldata data,
        address owner,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 statusIndex);

    /// @notice Anchors Merkle `root` of `count` leaves at `level` until `expiry` as `issuer`; the caller is the
    /// issuer or its `veriKey` delegate.
    function anchorRoot(
        address issuer,
        bytes32 root,
        uint8 level,
        uint40 expiry,
        uint32 count,
        string calldata uri
    ) external;

    /// @notice Claims `leaf` of `root` into storage with its `proof`; anyone may call. The root's issuer must
    /// still be active with `level` within its maximum, and the DID's owner must still be `leaf.owner`.
    function claim(
        bytes32 root,
        MerkleLeaf calldata leaf,
        bytes32[] calldata proof
    ) external returns (uint256 statusIndex);

    /// @notice Whether `proof` connects `leaf` to anchored `root` (index in range); stores nothing and ignores
    /// whether the leaf was claimed.
    function verifyLeaf(bytes32 root, MerkleLeaf calldata leaf, bytes32[] calldata proof) external view returns (bool);

    /// @notice The leaf hash of `leaf` under anchored `root` (binding chain id, registry, issuer, level, expiry).
    function leafHash(bytes32 root, MerkleLeaf calldata leaf) external view returns (bytes32);

    /// @notice Whether leaf `index` of `root` was claimed.
    function isClaimed(bytes32 root, uint256 index) external view returns (bool);

    /// @notice The anchored `root`'s record (all zero if unknown).
    function getRoot(bytes32 root) external view returns (MerkleRoot memory);

    /// @notice Records the DID's current owner in its attestation after an ownership change. The caller is the
    /// attestation's issuer or its `veriKey` delegate; the issuer must still be active with the attestation's
    /// level within its maximum.
    function reconfirm(address identity) external;

    /// @notice Publicly discloses `realName` of `identity`: the caller must be the DID's owner, the attestation
    /// must verify and `keccak256(abi.encode(identity, keccak256(bytes(realName)), salt))` must equal its
    /// commitment. The name is public forever.
    function disclose(address identity, string calldata realName, bytes32 salt) external;

    /// @notice {disclose} authorised by an EIP-712 `Disclosure` signature of the DID's `owner` (EIP-1271 wallets
    /// too), relayed by anyone. Consumes the owner's nonce.
    function discloseBySig(
        address identity,
        address owner,
        string calldata realName,
        bytes32 salt,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Consumes `authority`'s current nonce, invalidating its outstanding signatures. The caller is
    /// `authority` itself or, for an issuer, a `veriKey` delegate of it.
    function cancelSignatures(address authority) external;

    /// @notice Current nonce of `authority` (issuer for attestations, DID owner for disclosures).
    function nonces(address authority) external view returns (uint256);

    /// @notice Whether `identity` is real-name verified at level `minLevel` or above: it has an unexpired
    /// attestation whose level is at least `minLevel`, whose issuer is accredited, not suspended and allowed
    /// that level, whose revocation and suspension bits are clear, and whose DID is active and still owned by
    /// the recorded owner.
    function isVerified(address identity, uint8 minLevel) external view returns (bool);

    /// @notice The full verification record of `identity` at `minLevel`, with the reason when not verified.
    function getVerification(address identity, uint8 minLevel) external view returns (Verification memory);

    /// @notice Number of status indices allocated to `issuer`'s attestations, i.e. the next one: every issuance
    /// takes the issuer's next index(es) in its StatusRegistry lists, counting up from 0, never reusing one.
    function statusCount(address issuer) external view returns (uint256);

    /// @notice Scope and nullifier of `identity`'s attestation (zero when unscoped or absent).
    function getScope(address identity) external view returns (bytes32 scope, bytes32 nullifier);

    /// @notice The DID holding `nullifier` in `scope` (zero if none; check {isVerified} for it being in force).
    function nullifierHolder(bytes32 scope, bytes32 nullifier) external view returns (address);

    /// @notice The real name disclosed for `identity`'s current attestation, empty if none was disclosed or the
    /// attestation no longer verifies.
    function disclosedName(address identity) external view returns (string memory);
}

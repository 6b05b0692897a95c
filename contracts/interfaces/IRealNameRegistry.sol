// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ISignedRequests} from "./ISignedRequests.sol";

/// @title IRealNameRegistry
/// @notice Real-name attestations: an accredited issuer states that a DID belongs to a person it verified at an
/// assurance level (see IIssuerRegistry), until an expiry. One current attestation per DID. Nothing personal is
/// stored: only the issuer, level, expiry, a status index in the issuer's status lists and a salted commitment
/// `keccak256(abi.encode(identity, keccak256(bytes(realName)), salt))` with a 32-byte random, non-zero salt.
///
/// Issuance paths, all subject to the same issuer checks (IIssuerRegistry.checkIssuance: accredited, not
/// suspended, level within its maximum, expiry within its maximum lifetime, caller or signer is the issuer or a
/// `veriKey` delegate of its DID), and all naming the DID owner the issuer checked (the call reverts with
/// {RealNameRegistryOwnerChanged} if the DID changed hands since):
///  - {attest}: the issuer (or delegate) sends;
///  - {attestBatch}: many identities with one level, expiry and scope;
///  - {attestBySig}: an EIP-712 `Attestation` signed by the issuer (or delegate, or an EIP-1271 wallet), relayed
///    by anyone;
///  - {anchorRoot} + {claim}: the issuer anchors one Merkle root for `count` holders and with it reserves `count`
///    consecutive status indices; each leaf binds one of them, so the issuer can revoke a leaf before it is
///    claimed (StatusRegistry) and cancel the whole root ({cancelRoot}). Anyone claims a leaf into storage with
///    its proof, once: claims are recorded per issuer and status index, so no leaf is claimable twice, through
///    any root. Leaves are OpenZeppelin StandardMerkleTree leaves
///    `keccak256(bytes.concat(keccak256(abi.encode(chainId, registry, issuer, level, expiry, statusIndex,
///    identity, owner, commitment, scope, nullifier))))` (types: uint256, address, address, uint8, uint40,
///    uint256, address, address, bytes32, bytes32, bytes32) where issuer, level and expiry are the root's.
///    Roots are keyed by issuer, so no issuer can block another's root. A claim also re-checks the key that
///    anchored the root: revoking a leaked `veriKey` stops the unclaimed leaves of every root it anchored.
///
/// Replacement rule: an attestation in force (one that verifies at level 0) is replaced only by a newer one of at
/// least the same level — an attestation issued now (direct, batch, signed) or a claimed leaf of the same issuer
/// with a later status index — or with the holder's consent: the holder's own claim transaction, or a
/// {renounce} first. A lower level or a stale leaf reverts with {RealNameRegistryReplacementRefused}. An
/// attestation not in force (expired, revoked, suspended, issuer no longer accredited, owner changed) may be
/// replaced by any issuance. What a replacement removes is listed in {AttestationReplaced}.
///
/// Ownership policy: a verification is not for sale. After any ownership change of the DID {isVerified} is false
/// with reason `OwnerChanged` until the issuer confirms the new owner with {reconfirm}.
///
/// Scoped attestations (optional): an issuer may bind an attestation to a `scope` (a platform's domain hash) with
/// a scoped `nullifier` it derives off chain (e.g. HMAC(issuerSecret, person || scope)). A nullifier is held by
/// at most one DID per scope: attesting it to another DID reverts with {RealNameRegistryNullifierUsed} while
/// the holder's attestation still carries it and is unexpired, unrevoked and its DID active. Replacing or
/// renouncing the holder's attestation with another scope or nullifier releases it.
///
/// Public disclosure: the DID's owner may reveal the real name and salt behind the commitment ({disclose} or the
/// relayed {discloseBySig}). A disclosed name is public forever: it stays in the chain's history and events even
/// after the attestation expires, is revoked or replaced; {disclosedName} only stops returning it then.
///
/// Every issuance, reconfirmation and root event names the acting key (`actor`: the issuer or which delegate),
/// so an issuer whose key leaked finds, and revokes in bulk, everything that key did.
/// @custom:invariant isVerified(identity, level) implies: the issuer is accredited and active with maximum level
/// at least the attestation's level, the attestation is unexpired with level >= the requested level, its
/// revocation and suspension bits are clear, the DID is not deactivated and its owner is the recorded one.
interface IRealNameRegistry is ISignedRequests {
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
    /// @param owner the DID's owner the issuer checked (`DIDRegistry.identityOwner`)
    /// @param level assurance level (1..3)
    /// @param expiry unix time after which the attestation no longer verifies
    /// @param commitment `keccak256(abi.encode(identity, keccak256(bytes(realName)), salt))`, not zero
    /// @param scope platform domain hash, zero for an unscoped attestation
    /// @param nullifier scoped nullifier, zero exactly when `scope` is zero
    struct AttestationData {
        address identity;
        address owner;
        uint8 level;
        uint40 expiry;
        bytes32 commitment;
        bytes32 scope;
        bytes32 nullifier;
    }

    /// @notice One leaf of an anchored Merkle root; issuer, level and expiry come from the root.
    /// @param statusIndex the leaf's status index, in the root's reserved range; each is claimable once
    /// @param owner the DID owner the issuer checked
    struct MerkleLeaf {
        uint256 statusIndex;
        address identity;
        address owner;
        bytes32 commitment;
        bytes32 scope;
        bytes32 nullifier;
    }

    /// @notice An anchored Merkle root of an issuer.
    /// @param anchoredBy the key that anchored it (the issuer or a `veriKey` delegate), re-checked at each claim
    /// @param cancelled whether the issuer cancelled it (no leaf can be claimed any more)
    /// @param firstStatusIndex first of the `count` status indices reserved for its leaves
    struct MerkleRoot {
        address anchoredBy;
        uint8 level;
        uint40 expiry;
        bool cancelled;
        uint40 firstStatusIndex;
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

    /// @notice A batch of `size` identities is empty or exceeds `max` (see {MAX_BATCH_SIZE}).
    error RealNameRegistryInvalidBatchSize(uint256 size, uint256 max);

    /// @notice Parallel arrays of a batch differ in length.
    error RealNameRegistryLengthMismatch(uint256 identities, uint256 other);

    /// @notice Exactly one of `scope` and `nullifier` is zero.
    error RealNameRegistryInvalidScope(bytes32 scope, bytes32 nullifier);

    /// @notice The commitment of `identity` is zero.
    error RealNameRegistryZeroCommitment(address identity);

    /// @notice A disclosure of `identity` revealed an all-zero salt, which would make the name enumerable.
    error RealNameRegistryZeroSalt(address identity);

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

    /// @notice `identity`'s attestation in force (by `issuer` at `level`, status index `statusIndex`) is newer or
    /// of a higher level than the one offered; the holder must consent (see the replacement rule).
    error RealNameRegistryReplacementRefused(address identity, address issuer, uint8 level, uint256 statusIndex);

    /// @notice `actor` may not act for `identity`, whose owner is `owner`.
    error RealNameRegistryUnauthorizedActor(address identity, address actor, address owner);

    /// @notice The revealed name and salt hash to `computed`, not to the attestation's `commitment`.
    error RealNameRegistryCommitmentMismatch(address identity, bytes32 commitment, bytes32 computed);

    /// @notice `root` is zero, has no leaves (`count` zero) or was already anchored by the issuer.
    error RealNameRegistryInvalidRoot(bytes32 root, uint256 count);

    /// @notice The issuer's next status index is `actual`, not `expected` (the one its tree was built from): another
    /// issuance came first; rebuild the tree from `actual`.
    error RealNameRegistryStatusIndexMoved(address issuer, uint256 expected, uint256 actual);

    /// @notice `issuer` never anchored `root`.
    error RealNameRegistryUnknownRoot(address issuer, bytes32 root);

    /// @notice `issuer` cancelled `root`.
    error RealNameRegistryRootCancelled(address issuer, bytes32 root);

    /// @notice `statusIndex` is not in the range `root` of `issuer` reserved.
    error RealNameRegistryLeafOutOfRange(address issuer, bytes32 root, uint256 statusIndex);

    /// @notice The leaf with `issuer`'s status index `statusIndex` was already claimed.
    error RealNameRegistryAlreadyClaimed(address issuer, uint256 statusIndex);

    /// @notice The issuer revoked the leaf with status index `statusIndex` before it was claimed.
    error RealNameRegistryLeafRevoked(address issuer, uint256 statusIndex);

    /// @notice The proof does not connect the leaf with status index `statusIndex` to `issuer`'s `root`.
    error RealNameRegistryInvalidProof(address issuer, bytes32 root, uint256 statusIndex);

    /// @notice `actor`, acting for `issuer`, attested `identity` at `level` until `expiry`, with status index
    /// `statusIndex` in the issuer's lists, the salted real-name `commitment`, the DID owner `owner` it checked,
    /// and `scope` / `nullifier` (zero when unscoped), through `path`. For a Merkle claim `actor` is the key that
    /// anchored the root.
    event Attested(
        address indexed identity,
        address indexed issuer,
        address indexed actor,
        uint8 level,
        uint40 expiry,
        uint256 statusIndex,
        bytes32 commitment,
        address owner,
        bytes32 scope,
        bytes32 nullifier,
        IssuancePath path
    );

    /// @notice The attestation of `identity` by `previousIssuer` (status index `previousStatusIndex`, level
    /// `previousLevel`) was replaced by the one in the {Attested} event that follows; `disclosureRemoved` says
    /// whether a public disclosure stopped applying (the commitment changed), `releasedScope` /
    /// `releasedNullifier` the nullifier given up (zero if none).
    event AttestationReplaced(
        address indexed identity,
        address indexed previousIssuer,
        uint256 previousStatusIndex,
        uint8 previousLevel,
        bool disclosureRemoved,
        bytes32 releasedScope,
        bytes32 releasedNullifier
    );

    /// @notice The holder of `identity`, `owner`, gave up its attestation by `issuer` (status index
    /// `statusIndex`); any scoped nullifier it held is released.
    event AttestationRenounced(address indexed identity, address indexed issuer, uint256 statusIndex, address owner);

    /// @notice `actor`, acting for `issuer`, confirmed `owner` as the new owner of `identity`; the attestation
    /// verifies again.
    event OwnerReconfirmed(address indexed identity, address indexed issuer, address owner, address actor);

    /// @notice `actor`, acting for `issuer`, anchored Merkle `root` of `count` leaves at `level` until `expiry`,
    /// reserving status indices `firstStatusIndex` .. `firstStatusIndex + count - 1`; `uri` locates the off-chain
    /// tree (each holder's leaf and proof).
    event MerkleRootAnchored(
        address indexed issuer,
        bytes32 indexed root,
        address indexed actor,
        uint8 level,
        uint40 expiry,
        uint256 firstStatusIndex,
        uint32 count,
        string uri
    );

    /// @notice `actor`, acting for `issuer`, cancelled `root`: its unclaimed leaves can no longer be claimed.
    event MerkleRootCancelled(address indexed issuer, bytes32 indexed root, address indexed actor);

    /// @notice The leaf of `issuer`'s `root` with status index `statusIndex` was claimed for `identity` (see the
    /// {Attested} event of the same transaction).
    event MerkleLeafClaimed(
        address indexed issuer,
        bytes32 indexed root,
        address indexed identity,
        uint256 statusIndex
    );

    /// @notice The owner of `identity` publicly disclosed `realName`, attested by `issuer`.
    event Disclosed(address indexed identity, address indexed issuer, string realName);

    /// @notice Largest batch accepted by {attestBatch} (100 identities, well below the 16,777,216 gas cap even
    /// for scoped attestations).
    function MAX_BATCH_SIZE() external view returns (uint256);

    /// @notice EIP-712 typehash of `Attestation(address issuer,address signer,address identity,address owner,
    /// uint8 level,uint40 expiry,bytes32 commitment,bytes32 scope,bytes32 nullifier,uint256 nonce,uint256 deadline)`:
    /// `signer` is the issuer or its `veriKey` delegate, `owner` the DID owner it checked, `nonce` the issuer's
    /// nonce.
    function ATTESTATION_TYPEHASH() external view returns (bytes32);

    /// @notice EIP-712 typehash of `Disclosure(address owner,address identity,string realName,bytes32 salt,
    /// uint256 nonce,uint256 deadline)`: `owner` is the DID's owner and signer, `nonce` the owner's nonce.
    function DISCLOSURE_TYPEHASH() external view returns (bytes32);

    /// @notice EIP-712 typehash of `Renunciation(address owner,address identity,uint256 nonce,uint256 deadline)`:
    /// `owner` is the DID's owner and signer, `nonce` the owner's nonce.
    function RENUNCIATION_TYPEHASH() external view returns (bytes32);

    /// @notice The DIDRegistry (owners, deactivation).
    function didRegistry() external view returns (address);

    /// @notice The IssuerRegistry (trust list).
    function issuerRegistry() external view returns (address);

    /// @notice The StatusRegistry (revocation and suspension lists).
    function statusRegistry() external view returns (address);

    /// @notice Semantic version of this registry.
    function version() external view returns (string memory);

    /// @notice Attests `data` as `issuer`; the caller is the issuer or its `veriKey` delegate. Takes the issuer's
    /// next status index.
    function attest(address issuer, AttestationData calldata data) external returns (uint256 statusIndex);

    /// @notice Attests every `identities[i]`, owned by `owners[i]`, with `commitments[i]` (and `nullifiers[i]` when
    /// `scope` is not zero; `nullifiers` is empty otherwise) at one `level`, `expiry` and `scope`; at most
    /// {MAX_BATCH_SIZE}. One refused identity reverts the whole batch.
    /// @return firstStatusIndex status index of `identities[0]`; the others follow consecutively
    function attestBatch(
        address issuer,
        uint8 level,
        uint40 expiry,
        bytes32 scope,
        address[] calldata identities,
        address[] calldata owners,
        bytes32[] calldata commitments,
        bytes32[] calldata nullifiers
    ) external returns (uint256 firstStatusIndex);

    /// @notice {attest} authorised by an EIP-712 `Attestation` signature of `signer` (the issuer or its `veriKey`
    /// delegate; EIP-1271 wallets too), relayed by anyone. Consumes the issuer's nonce.
    function attestBySig(
        address issuer,
        address signer,
        AttestationData calldata data,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 statusIndex);

    /// @notice Anchors Merkle `root` of `count` leaves at `level` until `expiry` as `issuer` and reserves the
    /// issuer's next `count` status indices for its leaves; the caller is the issuer or its `veriKey` delegate.
    /// `firstStatusIndex` must be {statusCount} of the issuer, the first index the tree's leaves were built with.
    function anchorRoot(
        address issuer,
        bytes32 root,
        uint8 level,
        uint40 expiry,
        uint256 firstStatusIndex,
        uint32 count,
        string calldata uri
    ) external;

    /// @notice Cancels `issuer`'s `root`: none of its unclaimed leaves can be claimed any more (claimed ones are
    /// revoked through the StatusRegistry). The caller is the issuer or its `veriKey` delegate, whatever the
    /// issuer's standing.
    function cancelRoot(address issuer, bytes32 root) external;

    /// @notice Claims `leaf` of `issuer`'s `root` into storage with its `proof`; anyone may call. The root must not
    /// be cancelled, the leaf not claimed or revoked, the issuer active with the root's level, the key that
    /// anchored the root still allowed to act for it, and the DID's owner still `leaf.owner`. See the
    /// replacement rule: the DID owner's own claim counts as consent.
    function claim(
        address issuer,
        bytes32 root,
        MerkleLeaf calldata leaf,
        bytes32[] calldata proof
    ) external returns (uint256 statusIndex);

    /// @notice Whether `proof` connects `leaf` to `issuer`'s anchored `root` with the status index in the root's
    /// range; stores nothing and ignores cancellation and whether the leaf was claimed.
    function verifyLeaf(
        address issuer,
        bytes32 root,
        MerkleLeaf calldata leaf,
        bytes32[] calldata proof
    ) external view returns (bool);

    /// @notice The leaf hash of `leaf` under `issuer`'s anchored `root` (binding chain id, registry, issuer, level,
    /// expiry).
    function leafHash(address issuer, bytes32 root, MerkleLeaf calldata leaf) external view returns (bytes32);

    /// @notice Whether the leaf with `issuer`'s status index `statusIndex` was claimed.
    function isClaimed(address issuer, uint256 statusIndex) external view returns (bool);

    /// @notice `issuer`'s anchored `root` (all zero if unknown).
    function getRoot(address issuer, bytes32 root) external view returns (MerkleRoot memory);

    /// @notice Records `owner`, the DID's current owner the issuer checked, in its attestation after an ownership
    /// change. The caller is the attestation's issuer or its `veriKey` delegate; the issuer must still be active
    /// with the attestation's level and expiry within its limits.
    function reconfirm(address identity, address owner) external;

    /// @notice Gives up `identity`'s attestation (the holder's consent to a replacement the rule would refuse,
    /// or leaving a scope). The caller is the DID's owner, or the call reverts with
    /// {RealNameRegistryUnauthorizedActor}.
    function renounce(address identity) external;

    /// @notice {renounce} authorised by an EIP-712 `Renunciation` signature of the DID's `owner` (EIP-1271 wallets
    /// too), relayed by anyone. Consumes the owner's nonce.
    function renounceBySig(
        address identity,
        address owner,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Publicly discloses `realName` of `identity`: the caller must be the DID's owner, the attestation
    /// must verify, `salt` must not be zero and `keccak256(abi.encode(identity, keccak256(bytes(realName)), salt))`
    /// must equal its commitment. The name is public forever.
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

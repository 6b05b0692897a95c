// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IIssuerRegistry} from "./IIssuerRegistry.sol";
import {ISignedRequests} from "./ISignedRequests.sol";

/// @title IStatusRegistry
/// @notice Bitstring status lists (W3C Bitstring Status List semantics) of issuers, four per issuer:
///
/// | purpose | list | indices |
/// |---|---|---|
/// | 0 {REVOCATION} | revocation of on-chain attestations | allocated by the RealNameRegistry, below 2^40 |
/// | 1 {SUSPENSION} | suspension of on-chain attestations | the same indices |
/// | 2 {CREDENTIAL_REVOCATION} | revocation of off-chain credentials | drawn at random by the issuer, below {CREDENTIAL_LIST_LENGTH} |
/// | 3 {CREDENTIAL_SUSPENSION} | suspension of off-chain credentials | the same indices |
///
/// A set bit means "revoked" (resp. "suspended"); a clear bit means the status is in force.
///
/// Rules: only the issuer of a list, or a `veriKey` delegate of the issuer's DID (checked by the IssuerRegistry),
/// changes it, directly or through an EIP-712 signature relayed by anyone. **Revocation is final**: a revocation
/// bit can be set, never cleared, by any key and on every path. Suspension is reversible, but only while the
/// issuer is active: a suspended or removed issuer (or any key acting for it) may still revoke and suspend,
/// never lift a suspension. Setting the status of an index not issued yet is the issuer's own decision (the
/// attestation or credential that later gets the index is born with that status); this is how an issuer
/// revokes a Merkle leaf before anyone claims it.
///
/// Words: status `i` of a list is bit `127 - (i % 128)` of its 128-bit word `i / 128` (the most significant bit
/// comes first), so concatenating a list's words as 16-byte big-endian values gives exactly the W3C bitstring
/// (index 0 = leftmost bit of the first byte). Storage keeps the revocation and the suspension word of the same
/// 128 indices in one slot, so a verifier reads both statuses of an index with one storage read.
///
/// Every write names the acting key (`actor`) in its event, so an issuer whose key leaked finds all it did.
interface IStatusRegistry is ISignedRequests {
    /// @notice `purpose` is not one of the four lists.
    error StatusRegistryUnknownPurpose(uint8 purpose);

    /// @notice `index` is not below `length`, the size of `purpose`'s list.
    error StatusRegistryIndexOutOfRange(uint8 purpose, uint256 index, uint256 length);

    /// @notice `actor` is neither `issuer` nor a valid `veriKey` delegate of `issuer`.
    error StatusRegistryUnauthorizedActor(address issuer, address actor);

    /// @notice Status `index` of `issuer`'s revocation list `purpose` is set and a revocation is final.
    error StatusRegistryRevocationFinal(address issuer, uint8 purpose, uint256 index);

    /// @notice `issuer` is in state `status`: only an active issuer may lift a suspension.
    error StatusRegistryIssuerNotActive(address issuer, IIssuerRegistry.IssuerStatus status);

    /// @notice A batch of `size` items exceeds the maximum `max` (see {MAX_BATCH_SIZE}), or is empty.
    error StatusRegistryInvalidBatchSize(uint256 size, uint256 max);

    /// @notice The zero address was given where an account is required.
    error StatusRegistryZeroAddress();

    /// @notice `actor` set status `index` of `issuer`'s `purpose` list to `value` (true: revoked / suspended).
    event StatusChanged(
        address indexed issuer,
        uint8 indexed purpose,
        uint256 indexed index,
        bool value,
        address actor
    );

    /// @notice `actor` replaced word `wordIndex` (statuses `128 * wordIndex` .. `128 * wordIndex + 127`) of
    /// `issuer`'s `purpose` list by `word`.
    event StatusWordChanged(
        address indexed issuer,
        uint8 indexed purpose,
        uint256 indexed wordIndex,
        uint128 word,
        address actor
    );

    /// @notice Purpose of the attestations' revocation list (0).
    function REVOCATION() external view returns (uint8);

    /// @notice Purpose of the attestations' suspension list (1).
    function SUSPENSION() external view returns (uint8);

    /// @notice Purpose of the off-chain credentials' revocation list (2).
    function CREDENTIAL_REVOCATION() external view returns (uint8);

    /// @notice Purpose of the off-chain credentials' suspension list (3).
    function CREDENTIAL_SUSPENSION() external view returns (uint8);

    /// @notice Size of the attestation lists: 2^40 indices, the range of a RealNameRegistry status index.
    function ATTESTATION_LIST_LENGTH() external view returns (uint256);

    /// @notice Size of the credential lists: 131,072 indices (the W3C minimum of 16 KiB, for herd privacy).
    function CREDENTIAL_LIST_LENGTH() external view returns (uint256);

    /// @notice Largest batch accepted by {setStatuses} (256: a batch of fresh words stays far below the block gas cap).
    function MAX_BATCH_SIZE() external view returns (uint256);

    /// @notice EIP-712 typehash of a signed status update:
    /// `StatusUpdate(address issuer,address signer,uint8 purpose,uint256 index,bool value,uint256 nonce,uint256 deadline)`
    /// where `signer` is the issuer or its `veriKey` delegate and `nonce` is the issuer's nonce.
    function STATUS_UPDATE_TYPEHASH() external view returns (bytes32);

    /// @notice The IssuerRegistry that decides who may act for an issuer and whether it is active.
    function issuerRegistry() external view returns (address);

    /// @notice Semantic version of this registry.
    function version() external view returns (string memory);

    /// @notice Sets status `index` of `issuer`'s `purpose` list to `value`. Issuer or its `veriKey` delegate.
    function setStatus(address issuer, uint8 purpose, uint256 index, bool value) external;

    /// @notice Revokes status `index` of the caller's own attestation revocation list: `setStatus(msg.sender,
    /// REVOCATION, index, true)` with a quarter of the calldata, for the issuer that revokes one at a time.
    function revoke(uint256 index) external;

    /// @notice Sets every status in `indices` of `issuer`'s `purpose` list to `value`; at most {MAX_BATCH_SIZE}.
    /// Consecutive indices of one word are written at once and announced by one {StatusWordChanged} (the whole
    /// new word), so sorted indices cost one storage write and one event per word touched.
    function setStatuses(address issuer, uint8 purpose, uint256[] calldata indices, bool value) external;

    /// @notice Replaces word `wordIndex` of `issuer`'s `purpose` list by `word` (128 statuses at once, bit order as
    /// documented above). Reverts if it would clear a revocation.
    function setStatusWord(address issuer, uint8 purpose, uint256 wordIndex, uint128 word) external;

    /// @notice {setStatus} authorised by an EIP-712 `StatusUpdate` signature of `signer` (the issuer or its
    /// `veriKey` delegate; EIP-1271 wallets too), relayed by anyone. Consumes the issuer's nonce.
    function setStatusBySig(
        address issuer,
        address signer,
        uint8 purpose,
        uint256 index,
        bool value,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Consumes `issuer`'s current nonce, invalidating every outstanding signed status update.
    /// Issuer or its `veriKey` delegate.
    function cancelSignatures(address issuer) external;

    /// @notice Status `index` of `issuer`'s `purpose` list (false for indices never set).
    function getStatus(address issuer, uint8 purpose, uint256 index) external view returns (bool);

    /// @notice Statuses of many `indices` of `issuer`'s `purpose` list, in order.
    function getStatuses(
        address issuer,
        uint8 purpose,
        uint256[] calldata indices
    ) external view returns (bool[] memory values);

    /// @notice Word `wordIndex` of `issuer`'s `purpose` list.
    function getStatusWord(address issuer, uint8 purpose, uint256 wordIndex) external view returns (uint128);

    /// @notice Both statuses of attestation status `index` of `issuer`, with one storage read: revoked and
    /// suspended (false for indices never set, including any beyond the list).
    function getStatusBits(address issuer, uint256 index) external view returns (bool revoked, bool suspended);
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IStatusRegistry
/// @notice Bitstring status lists (W3C Bitstring Status List semantics): one list per issuer and purpose
/// (revocation = 0, suspension = 1), 256 statuses per storage word. A set bit means "revoked" (resp.
/// "suspended"); a clear bit means the status is in force.
///
/// Bit order: status `i` of a list is bit `255 - (i % 256)` (counting from the least significant bit) of word
/// `i / 256`, i.e. the most significant bit of a word comes first. Concatenating a list's words as 32-byte
/// big-endian values therefore gives exactly the W3C bitstring (index 0 = leftmost bit of the first byte), so an
/// off-chain verifiable credential can point its `statusListIndex` at the same list.
///
/// Indices are allocated per issuer by the attestation registry (see `RealNameRegistry.statusCount`), counting up
/// from 0 and never reused. The lists themselves accept any index: only the issuer of a list, or a `veriKey`
/// delegate of the issuer's DID (checked by the IssuerRegistry), changes it, directly or through an EIP-712
/// signature relayed by anyone, so setting the status of an index not issued yet is the issuer's own decision
/// (the attestation that later gets the index is born with that status, as if issued then revoked). Keeping the
/// allocation counter out of this contract is what makes an attestation and a revocation cheap: neither pays a
/// cross-contract call or a counter read.
interface IStatusRegistry {
    /// @notice `purpose` is neither revocation (0) nor suspension (1).
    error StatusRegistryUnknownPurpose(uint8 purpose);

    /// @notice `caller` may not configure the attestation registry (deployer only, once; `current` is the
    /// registry already set or zero).
    error StatusRegistryUnauthorizedConfiguration(address caller, address current);

    /// @notice `actor` is neither `issuer` nor a valid `veriKey` delegate of `issuer`.
    error StatusRegistryUnauthorizedActor(address issuer, address actor);

    /// @notice A batch of `size` items exceeds the maximum `max` (see {MAX_BATCH_SIZE}), or is empty.
    error StatusRegistryInvalidBatchSize(uint256 size, uint256 max);

    /// @notice A signed request expired at `deadline`.
    error StatusRegistryDeadlinePassed(uint256 deadline);

    /// @notice The signature does not come from `signer`, or `signer` may not act for `issuer`.
    error StatusRegistryInvalidSignature(address issuer, address signer);

    /// @notice `nonce` is not the current nonce `expected` of `issuer` (replayed or cancelled).
    error StatusRegistryInvalidNonce(address issuer, uint256 nonce, uint256 expected);

    /// @notice The zero address was given where an account is required.
    error StatusRegistryZeroAddress();

    /// @notice Status `index` of `issuer`'s `purpose` list is now `value` (true: revoked / suspended).
    event StatusChanged(address indexed issuer, uint8 indexed purpose, uint256 indexed index, bool value);

    /// @notice Word `wordIndex` (statuses `256 * wordIndex` .. `256 * wordIndex + 255`) of `issuer`'s `purpose`
    /// list was replaced by `word`.
    event StatusWordChanged(address indexed issuer, uint8 indexed purpose, uint256 indexed wordIndex, uint256 word);

    /// @notice The attestation registry whose attestations point into these lists was configured.
    event AttestationRegistrySet(address indexed registry);

    /// @notice `issuer` invalidated its outstanding signed status updates; its nonce is now `nonce`.
    event SignaturesCancelled(address indexed issuer, uint256 nonce);

    /// @notice Purpose of the revocation list (0).
    function REVOCATION() external view returns (uint8);

    /// @notice Purpose of the suspension list (1).
    function SUSPENSION() external view returns (uint8);

    /// @notice Largest batch accepted by {setStatuses} (256: a batch of fresh words stays far below the block gas cap).
    function MAX_BATCH_SIZE() external view returns (uint256);

    /// @notice EIP-712 typehash of a signed status update:
    /// `StatusUpdate(address issuer,address signer,uint8 purpose,uint256 index,bool value,uint256 nonce,uint256 deadline)`
    /// where `signer` is the issuer or its `veriKey` delegate and `nonce` is the issuer's nonce.
    function STATUS_UPDATE_TYPEHASH() external view returns (bytes32);

    /// @notice The IssuerRegistry that decides who may act for an issuer.
    function issuerRegistry() external view returns (address);

    /// @notice The attestation registry whose attestations point into these lists, and which allocates their
    /// indices (zero until configured), so a verifier holding a list finds the attestations that use it.
    function attestationRegistry() external view returns (address);

    /// @notice Semantic version of this registry.
    function version() external view returns (string memory);

    /// @notice Sets the attestation registry (see {attestationRegistry}). Deployer only, once.
    function setAttestationRegistry(address registry) external;

    /// @notice Sets status `index` of `issuer`'s `purpose` list to `value`. Issuer or its `veriKey` delegate.
    function setStatus(address issuer, uint8 purpose, uint256 index, bool value) external;

    /// @notice Revokes status `index` of the caller's own revocation list: `setStatus(msg.sender, REVOCATION,
    /// index, true)` with a quarter of the calldata, for the issuer that revokes one attestation at a time.
    function revoke(uint256 index) external;

    /// @notice Sets every status in `indices` of `issuer`'s `purpose` list to `value`; at most {MAX_BATCH_SIZE}.
    /// Consecutive indices of one word are written at once and announced by one {StatusWordChanged} (the whole
    /// new word), so sorted indices cost one storage write and one event per word touched.
    function setStatuses(address issuer, uint8 purpose, uint256[] calldata indices, bool value) external;

    /// @notice Replaces word `wordIndex` of `issuer`'s `purpose` list by `word` (256 statuses at once, bit order as
    /// documented above).
    function setStatusWord(address issuer, uint8 purpose, uint256 wordIndex, uint256 word) external;

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

    /// @notice Current nonce of `issuer` for signed status updates.
    function nonces(address issuer) external view returns (uint256);

    /// @notice Status `index` of `issuer`'s `purpose` list (false for indices never set).
    function getStatus(address issuer, uint8 purpose, uint256 index) external view returns (bool);

    /// @notice Statuses of many `indices` of `issuer`'s `purpose` list, in order.
    function getStatuses(
        address issuer,
        uint8 purpose,
        uint256[] calldata indices
    ) external view returns (bool[] memory values);

    /// @notice Word `wordIndex` of `issuer`'s `purpose` list.
    function getStatusWord(address issuer, uint8 purpose, uint256 wordIndex) external view returns (uint256);

    /// @notice Both statuses of `index` of `issuer` in one call: revoked and suspended.
    function getStatusBits(address issuer, uint256 index) external view returns (bool revoked, bool suspended);
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IDIDRegistry
/// @notice The ERC-1056 (did:ethr) identity registry, kept ABI- and event-compatible with the reference
/// `EthereumDIDRegistry` so ethr-did, ethr-did-resolver, Veramo and other did:ethr tools work unchanged.
/// @dev One intentional deviation: deactivation is final. After `changeOwner(identity, address(0))` the
/// identity has no owner, `identityOwner` returns `address(0)`, no delegate is valid and every write for it
/// reverts with {DIDRegistryIdentityDeactivated}. In the reference the identity's own key silently regains
/// control.
///
/// The `*Signed` variants keep the reference message byte for byte:
/// `keccak256(0x19 0x00 registry nonce[owner] identity "<functionName>" args...)`. That message carries no
/// chain id, so a registry deployed at the same address on two chains would accept each other's signatures;
/// RealDID deploys its registries through a factory that binds the chain id into the CREATE2 salt, making
/// every deployment's address chain-unique.
///
/// Lost-key recovery (RealDID's addition, new functions and events only): the owner designates a recovery
/// address and a delay ({setRecovery}); the recovery address starts a recovery to a new owner
/// ({startRecovery}); the owner can cancel it until it completes ({cancelRecovery}); once the delay has passed
/// anyone completes it ({completeRecovery}), an ordinary owner change that emits {DIDOwnerChanged}. Every owner
/// change (by the owner, by a completed recovery, or deactivation) clears the designation and cancels a pending
/// recovery: a new owner never inherits the previous owner's recovery address. Recovery functions never move
/// `changed`: only events that carry `previousChange` belong to the ERC-1056 linked list.
interface IDIDRegistry {
    /// @notice `actor` tried to act for `identity` but is not its owner `owner`.
    error DIDRegistryUnauthorizedActor(address identity, address actor, address owner);

    /// @notice `identity` was deactivated; nothing can change it any more.
    error DIDRegistryIdentityDeactivated(address identity);

    /// @notice A recovery `delay` (seconds) outside [`min`, `max`].
    error DIDRegistryInvalidRecoveryDelay(uint256 delay, uint256 min, uint256 max);

    /// @notice `actor` tried to start a recovery of `identity` but is not its recovery address `recovery`
    /// (`address(0)`: none designated).
    error DIDRegistryUnauthorizedRecovery(address identity, address actor, address recovery);

    /// @notice A recovery of `identity` cannot hand it to `newOwner` (the zero address: recovery never deactivates).
    error DIDRegistryInvalidRecoveryOwner(address identity, address newOwner);

    /// @notice `identity` has no pending recovery to cancel or complete.
    error DIDRegistryNoPendingRecovery(address identity);

    /// @notice The recovery of `identity` cannot complete before `readyAt` (unix time); it is `timestamp` now.
    error DIDRegistryRecoveryNotReady(address identity, uint256 readyAt, uint256 timestamp);

    /// @notice The owner of `identity` became `owner` (`address(0)`: deactivated).
    /// @param previousChange block number of the identity's previous change (0 if none): a linked list
    /// resolvers walk backwards.
    event DIDOwnerChanged(address indexed identity, address owner, uint256 previousChange);

    /// @notice `delegate` of type `delegateType` (e.g. "veriKey", "sigAuth") is valid for `identity` until
    /// `validTo` (a unix time; a revocation sets it to the current block time).
    event DIDDelegateChanged(
        address indexed identity,
        bytes32 delegateType,
        address delegate,
        uint256 validTo,
        uint256 previousChange
    );

    /// @notice Attribute `name` (e.g. "did/pub/Secp256k1/veriKey/hex", "did/svc/HubService") with `value`
    /// is valid for `identity` until `validTo` (0: revoked).
    event DIDAttributeChanged(
        address indexed identity,
        bytes32 name,
        bytes value,
        uint256 validTo,
        uint256 previousChange
    );

    /// @notice The owner of `identity` designated `recovery` to recover it after `delay` seconds; `recovery`
    /// `address(0)` (and `delay` 0): no recovery address any more. Any pending recovery was cancelled first
    /// ({DIDRecoveryCancelled}).
    event DIDRecoverySet(address indexed identity, address recovery, uint256 delay);

    /// @notice `recovery` started to recover `identity` to `newOwner`; anyone can complete it from `readyAt`
    /// (unix time) on, unless the owner cancels it first. A restart replaces the pending recovery.
    event DIDRecoveryStarted(address indexed identity, address recovery, address newOwner, uint256 readyAt);

    /// @notice The pending recovery of `identity` was cancelled by `by` (its owner, directly, by signature, or by
    /// changing the owner or the recovery designation).
    event DIDRecoveryCancelled(address indexed identity, address by);

    /// @notice The recovery of `identity` completed: its owner changed from `previousOwner` to `newOwner` (the
    /// same transaction emits {DIDOwnerChanged}) and its recovery designation was cleared.
    event DIDRecoveryCompleted(address indexed identity, address previousOwner, address newOwner);

    /// @notice Semantic version of this registry.
    function version() external view returns (string memory);

    /// @notice The owner recorded for `identity`, `address(0)` when the identity owns itself or is deactivated.
    function owners(address identity) external view returns (address);

    /// @notice Expiry (unix time) of `delegate` for `identity` and `keccak256(abi.encode(delegateType))`.
    function delegates(address identity, bytes32 delegateTypeHash, address delegate) external view returns (uint256);

    /// @notice Block number of the last change to `identity` (0 if never changed).
    function changed(address identity) external view returns (uint256);

    /// @notice Replay-protection counter of `signer` for the `*Signed` functions.
    function nonce(address signer) external view returns (uint256);

    /// @notice The address that controls `identity`: its recorded owner, the identity itself if none was
    /// ever set, or `address(0)` once deactivated.
    function identityOwner(address identity) external view returns (address);

    /// @notice Whether `delegate` is a currently valid delegate of type `delegateType` for `identity`
    /// (always false for a deactivated identity).
    function validDelegate(address identity, bytes32 delegateType, address delegate) external view returns (bool);

    /// @notice Whether `identity` was deactivated (owner set to `address(0)`).
    function deactivated(address identity) external view returns (bool);

    /// @notice Transfers control of `identity` to `newOwner`; `address(0)` deactivates it for good.
    function changeOwner(address identity, address newOwner) external;

    /// @notice {changeOwner} authorised by the owner's signature, relayed by anyone.
    function changeOwnerSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, address newOwner) external;

    /// @notice Adds `delegate` of type `delegateType` to `identity` for `validity` seconds.
    function addDelegate(address identity, bytes32 delegateType, address delegate, uint256 validity) external;

    /// @notice {addDelegate} authorised by the owner's signature, relayed by anyone.
    function addDelegateSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 delegateType,
        address delegate,
        uint256 validity
    ) external;

    /// @notice Revokes `delegate` of type `delegateType` for `identity` as of now.
    function revokeDelegate(address identity, bytes32 delegateType, address delegate) external;

    /// @notice {revokeDelegate} authorised by the owner's signature, relayed by anyone.
    function revokeDelegateSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 delegateType,
        address delegate
    ) external;

    /// @notice Publishes attribute `name` = `value` for `identity`, valid for `validity` seconds.
    function setAttribute(address identity, bytes32 name, bytes calldata value, uint256 validity) external;

    /// @notice {setAttribute} authorised by the owner's signature, relayed by anyone.
    function setAttributeSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 name,
        bytes calldata value,
        uint256 validity
    ) external;

    /// @notice Revokes attribute `name` = `value` for `identity`.
    function revokeAttribute(address identity, bytes32 name, bytes calldata value) external;

    /// @notice {revokeAttribute} authorised by the owner's signature, relayed by anyone.
    function revokeAttributeSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 name,
        bytes calldata value
    ) external;

    /// @notice Shortest recovery delay: 1 day.
    function MIN_RECOVERY_DELAY() external view returns (uint256);

    /// @notice Longest recovery delay: 365 days.
    function MAX_RECOVERY_DELAY() external view returns (uint256);

    /// @notice The recovery state of `identity`: its recovery address (`address(0)`: none), the delay in
    /// seconds, and the pending recovery's new owner and the time it can complete from (both 0 if none).
    function recoveryOf(
        address identity
    ) external view returns (address recovery, uint256 delay, address pendingOwner, uint256 readyAt);

    /// @notice Designates `recovery` (a guardian multisig, a second device, a trusted issuer) to recover
    /// `identity` after `delay` seconds, in [{MIN_RECOVERY_DELAY}, {MAX_RECOVERY_DELAY}]; `recovery`
    /// `address(0)` clears the designation (`delay` is then ignored). Owner only; cancels a pending recovery.
    function setRecovery(address identity, address recovery, uint256 delay) external;

    /// @notice {setRecovery} authorised by the owner's signature over
    /// `0x19 0x00 registry nonce[owner] identity "setRecovery" recovery delay`, relayed by anyone.
    function setRecoverySigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        address recovery,
        uint256 delay
    ) external;

    /// @notice Starts recovering `identity` to `newOwner`; only its recovery address may. It can complete once
    /// the delay has passed; starting again replaces the pending recovery and restarts the delay.
    function startRecovery(address identity, address newOwner) external;

    /// @notice {startRecovery} authorised by the recovery address's signature over
    /// `0x19 0x00 registry nonce[recovery] identity "startRecovery" newOwner`, relayed by anyone.
    function startRecoverySigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, address newOwner) external;

    /// @notice Cancels the pending recovery of `identity`; owner only. The designation stays.
    function cancelRecovery(address identity) external;

    /// @notice {cancelRecovery} authorised by the owner's signature over
    /// `0x19 0x00 registry nonce[owner] identity "cancelRecovery"`, relayed by anyone.
    function cancelRecoverySigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS) external;

    /// @notice Completes the pending recovery of `identity` once `block.timestamp >= readyAt`; anyone may call.
    /// Changes the owner to the pending new owner ({DIDOwnerChanged}, then {DIDRecoveryCompleted}) and clears the
    /// recovery designation.
    function completeRecovery(address identity) external;
}

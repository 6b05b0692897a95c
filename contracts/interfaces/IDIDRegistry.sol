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
interface IDIDRegistry {
    /// @notice `actor` tried to act for `identity` but is not its owner `owner`.
    error DIDRegistryUnauthorizedActor(address identity, address actor, address owner);

    /// @notice `identity` was deactivated; nothing can change it any more.
    error DIDRegistryIdentityDeactivated(address identity);

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
}

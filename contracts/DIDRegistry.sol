// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {IDIDRegistry} from "./interfaces/IDIDRegistry.sol";
import {IdentityRecord, IdentityRecordLibrary} from "./libraries/IdentityRecord.sol";

/// @title DIDRegistry
/// @notice ERC-1056 / did:ethr identity registry with final deactivation. See {IDIDRegistry}.
/// @dev Storage: an identity's owner, last-change block and deactivation flag share one slot
/// ({IdentityRecord}), so a first ownership change costs one storage write instead of the reference's two,
/// and every operation reads the identity once.
/// Signatures are checked with OpenZeppelin's ECDSA, which rejects malleable (high-s) signatures and the
/// zero-address signer that `ecrecover` returns for garbage.
/// @custom:invariant once `deactivated(identity)` is true it stays true and `identityOwner(identity)` is 0.
contract DIDRegistry is IDIDRegistry {
    mapping(address identity => IdentityRecord) private _records;

    /// @inheritdoc IDIDRegistry
    mapping(address identity => mapping(bytes32 delegateTypeHash => mapping(address delegate => uint256 validTo)))
        public delegates;

    /// @inheritdoc IDIDRegistry
    mapping(address signer => uint256) public nonce;

    /// @inheritdoc IDIDRegistry
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    /// @inheritdoc IDIDRegistry
    function owners(address identity) external view returns (address) {
        return _records[identity].owner();
    }

    /// @inheritdoc IDIDRegistry
    function changed(address identity) external view returns (uint256) {
        return _records[identity].changed();
    }

    /// @inheritdoc IDIDRegistry
    function deactivated(address identity) external view returns (bool) {
        return _records[identity].deactivated();
    }

    /// @inheritdoc IDIDRegistry
    function identityOwner(address identity) public view returns (address) {
        IdentityRecord record = _records[identity];
        address owner = record.owner();
        if (owner != address(0)) return owner;
        return record.deactivated() ? address(0) : identity;
    }

    /// @inheritdoc IDIDRegistry
    function validDelegate(address identity, bytes32 delegateType, address delegate) external view returns (bool) {
        if (_records[identity].deactivated()) return false;
        return delegates[identity][keccak256(abi.encode(delegateType))][delegate] > block.timestamp;
    }

    /// @inheritdoc IDIDRegistry
    function changeOwner(address identity, address newOwner) external {
        _changeOwner(identity, _authorize(identity, msg.sender), newOwner);
    }

    /// @inheritdoc IDIDRegistry
    function changeOwnerSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, address newOwner) external {
        IdentityRecord record = _authorizeSigned(identity, sigV, sigR, sigS, abi.encodePacked("changeOwner", newOwner));
        _changeOwner(identity, record, newOwner);
    }

    /// @inheritdoc IDIDRegistry
    function addDelegate(address identity, bytes32 delegateType, address delegate, uint256 validity) external {
        _changeDelegate(identity, _authorize(identity, msg.sender), delegateType, delegate, block.timestamp + validity);
    }

    /// @inheritdoc IDIDRegistry
    function addDelegateSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 delegateType,
        address delegate,
        uint256 validity
    ) external {
        IdentityRecord record = _authorizeSigned(
            identity,
            sigV,
            sigR,
            sigS,
            abi.encodePacked("addDelegate", delegateType, delegate, validity)
        );
        _changeDelegate(identity, record, delegateType, delegate, block.timestamp + validity);
    }

    /// @inheritdoc IDIDRegistry
    function revokeDelegate(address identity, bytes32 delegateType, address delegate) external {
        _changeDelegate(identity, _authorize(identity, msg.sender), delegateType, delegate, block.timestamp);
    }

    /// @inheritdoc IDIDRegistry
    function revokeDelegateSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 delegateType,
        address delegate
    ) external {
        IdentityRecord record = _authorizeSigned(
            identity,
            sigV,
            sigR,
            sigS,
            abi.encodePacked("revokeDelegate", delegateType, delegate)
        );
        _changeDelegate(identity, record, delegateType, delegate, block.timestamp);
    }

    /// @inheritdoc IDIDRegistry
    function setAttribute(address identity, bytes32 name, bytes calldata value, uint256 validity) external {
        _changeAttribute(identity, _authorize(identity, msg.sender), name, value, block.timestamp + validity);
    }

    /// @inheritdoc IDIDRegistry
    function setAttributeSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 name,
        bytes calldata value,
        uint256 validity
    ) external {
        IdentityRecord record = _authorizeSigned(
            identity,
            sigV,
            sigR,
            sigS,
            abi.encodePacked("setAttribute", name, value, validity)
        );
        _changeAttribute(identity, record, name, value, block.timestamp + validity);
    }

    /// @inheritdoc IDIDRegistry
    function revokeAttribute(address identity, bytes32 name, bytes calldata value) external {
        _changeAttribute(identity, _authorize(identity, msg.sender), name, value, 0);
    }

    /// @inheritdoc IDIDRegistry
    function revokeAttributeSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 name,
        bytes calldata value
    ) external {
        IdentityRecord record = _authorizeSigned(
            identity,
            sigV,
            sigR,
            sigS,
            abi.encodePacked("revokeAttribute", name, value)
        );
        _changeAttribute(identity, record, name, value, 0);
    }

    /// @dev The only writer of an identity's owner; emits {DIDOwnerChanged}.
    function _changeOwner(address identity, IdentityRecord record, address newOwner) private {
        _records[identity] = IdentityRecordLibrary.pack(newOwner, block.number, newOwner == address(0));
        emit DIDOwnerChanged(identity, newOwner, record.changed());
    }

    /// @dev The only writer of delegates; emits {DIDDelegateChanged}.
    function _changeDelegate(
        address identity,
        IdentityRecord record,
        bytes32 delegateType,
        address delegate,
        uint256 validTo
    ) private {
        delegates[identity][keccak256(abi.encode(delegateType))][delegate] = validTo;
        _records[identity] = record.withChanged(block.number);
        emit DIDDelegateChanged(identity, delegateType, delegate, validTo, record.changed());
    }

    /// @dev The only emitter of attributes (they live in events only); emits {DIDAttributeChanged}.
    function _changeAttribute(
        address identity,
        IdentityRecord record,
        bytes32 name,
        bytes calldata value,
        uint256 validTo
    ) private {
        _records[identity] = record.withChanged(block.number);
        emit DIDAttributeChanged(identity, name, value, validTo, record.changed());
    }

    /// @dev Reverts unless `actor` controls the active `identity`; returns the identity's record.
    function _authorize(address identity, address actor) private view returns (IdentityRecord record) {
        address owner;
        (owner, record) = _controller(identity);
        if (actor != owner) revert DIDRegistryUnauthorizedActor(identity, actor, owner);
    }

    /// @dev Checks the owner's ERC-1056 signature over `0x19 0x00 registry nonce[owner] identity payload`,
    /// consumes the nonce and returns the identity's record.
    function _authorizeSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes memory payload
    ) private returns (IdentityRecord record) {
        address owner;
        (owner, record) = _controller(identity);
        uint256 ownerNonce = nonce[owner];
        bytes32 hash = keccak256(
            abi.encodePacked(bytes1(0x19), bytes1(0), address(this), ownerNonce, identity, payload)
        );
        address signer = ECDSA.recover(hash, sigV, sigR, sigS);
        if (signer != owner) revert DIDRegistryUnauthorizedActor(identity, signer, owner);
        unchecked {
            nonce[owner] = ownerNonce + 1;
        }
    }

    /// @dev The controller of an active identity and its record; reverts once deactivated.
    function _controller(address identity) private view returns (address owner, IdentityRecord record) {
        record = _records[identity];
        if (record.deactivated()) revert DIDRegistryIdentityDeactivated(identity);
        owner = record.owner();
        if (owner == address(0)) owner = identity;
    }
}

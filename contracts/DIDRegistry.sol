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
/// Recovery state lives beside the record, in {Recovery}; the record's recovery flag tells an owner change
/// whether there is any to clear, so ERC-1056 calls of identities without recovery never read it.
/// @custom:invariant once `deactivated(identity)` is true it stays true and `identityOwner(identity)` is 0.
/// @custom:invariant the record's recovery flag is set iff `recoveryOf(identity).recovery != address(0)`, and a
/// recovery is pending (`readyAt != 0`) only while one is designated.
/// @custom:invariant a recovery never completes before its `readyAt`.
contract DIDRegistry is IDIDRegistry {
    /// @dev An identity's recovery designation and pending recovery.
    ///   slot 0: recovery (address) | delay (uint32 seconds) | readyAt (uint64 unix time, 0: none pending)
    ///   slot 1: pendingOwner (address)
    struct Recovery {
        address recovery;
        uint32 delay;
        uint64 readyAt;
        address pendingOwner;
    }

    /// @inheritdoc IDIDRegistry
    uint256 public constant MIN_RECOVERY_DELAY = 1 days;

    /// @inheritdoc IDIDRegistry
    uint256 public constant MAX_RECOVERY_DELAY = 365 days;

    mapping(address identity => IdentityRecord) private _records;

    mapping(address identity => Recovery) private _recoveries;

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
    function recoveryOf(
        address identity
    ) external view returns (address recovery, uint256 delay, address pendingOwner, uint256 readyAt) {
        Recovery storage state = _recoveries[identity];
        return (state.recovery, state.delay, state.pendingOwner, state.readyAt);
    }

    /// @inheritdoc IDIDRegistry
    function changeOwner(address identity, address newOwner) external {
        _changeOwner(identity, _authorize(identity, msg.sender), newOwner, msg.sender);
    }

    /// @inheritdoc IDIDRegistry
    function changeOwnerSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, address newOwner) external {
        IdentityRecord record = _authorizeSigned(identity, sigV, sigR, sigS, abi.encodePacked("changeOwner", newOwner));
        _changeOwner(identity, record, newOwner, record.controller(identity));
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

    /// @inheritdoc IDIDRegistry
    function setRecovery(address identity, address recovery, uint256 delay) external {
        _setRecovery(identity, _authorize(identity, msg.sender), msg.sender, recovery, delay);
    }

    /// @inheritdoc IDIDRegistry
    function setRecoverySigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        address recovery,
        uint256 delay
    ) external {
        IdentityRecord record = _authorizeSigned(
            identity,
            sigV,
            sigR,
            sigS,
            abi.encodePacked("setRecovery", recovery, delay)
        );
        _setRecovery(identity, record, record.controller(identity), recovery, delay);
    }

    /// @inheritdoc IDIDRegistry
    function startRecovery(address identity, address newOwner) external {
        _startRecovery(identity, _authorizeRecovery(identity, msg.sender), newOwner);
    }

    /// @inheritdoc IDIDRegistry
    function startRecoverySigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, address newOwner) external {
        Recovery storage state = _activeRecovery(identity);
        address recovery = state.recovery;
        bytes memory payload = abi.encodePacked("startRecovery", newOwner);
        address signer = _consumeSignature(identity, recovery, sigV, sigR, sigS, payload);
        if (signer != recovery) revert DIDRegistryUnauthorizedRecovery(identity, signer, recovery);
        _startRecovery(identity, state, newOwner);
    }

    /// @inheritdoc IDIDRegistry
    function cancelRecovery(address identity) external {
        _authorize(identity, msg.sender);
        _cancelRecovery(identity, _pendingRecovery(identity), msg.sender);
    }

    /// @inheritdoc IDIDRegistry
    function cancelRecoverySigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS) external {
        IdentityRecord record = _authorizeSigned(identity, sigV, sigR, sigS, abi.encodePacked("cancelRecovery"));
        _cancelRecovery(identity, _pendingRecovery(identity), record.controller(identity));
    }

    /// @inheritdoc IDIDRegistry
    function completeRecovery(address identity) external {
        IdentityRecord record = _records[identity];
        Recovery storage state = _pendingRecovery(identity);
        uint256 readyAt = state.readyAt;
        if (block.timestamp < readyAt) revert DIDRegistryRecoveryNotReady(identity, readyAt, block.timestamp);
        address newOwner = state.pendingOwner;
        state.readyAt = 0;
        delete state.pendingOwner;
        // Nothing is pending any more, so the owner change only clears the designation (DIDRecoverySet to 0).
        _changeOwner(identity, record, newOwner, newOwner);
        emit DIDRecoveryCompleted(identity, record.controller(identity), newOwner);
    }

    /// @dev The only writer of an identity's owner; emits {DIDOwnerChanged}. An identity with a recovery address
    /// loses it ({DIDRecoverySet} to 0), and a pending recovery is cancelled by `by`.
    function _changeOwner(address identity, IdentityRecord record, address newOwner, address by) private {
        IdentityRecord updated = IdentityRecordLibrary.pack(newOwner, block.number, newOwner == address(0));
        _records[identity] = updated;
        emit DIDOwnerChanged(identity, newOwner, record.changed());
        if (record.hasRecovery()) _setRecovery(identity, updated, by, address(0), 0);
    }

    /// @dev The only writer of recovery designations; emits {DIDRecoverySet}. Cancels a pending recovery first
    /// (by `by`) and keeps the record's recovery flag in step.
    function _setRecovery(
        address identity,
        IdentityRecord record,
        address by,
        address recovery,
        uint256 delay
    ) private {
        bool designated = recovery != address(0);
        if (!designated) delay = 0;
        else if (delay < MIN_RECOVERY_DELAY || delay > MAX_RECOVERY_DELAY) {
            revert DIDRegistryInvalidRecoveryDelay(delay, MIN_RECOVERY_DELAY, MAX_RECOVERY_DELAY);
        }
        Recovery storage state = _recoveries[identity];
        if (state.readyAt != 0) _cancelRecovery(identity, state, by);
        state.recovery = recovery;
        // Cannot truncate: delay <= MAX_RECOVERY_DELAY < 2^32.
        state.delay = uint32(delay);
        if (record.hasRecovery() != designated) _records[identity] = record.withRecovery(designated);
        emit DIDRecoverySet(identity, recovery, delay);
    }

    /// @dev The only writer of a pending recovery; emits {DIDRecoveryStarted}.
    function _startRecovery(address identity, Recovery storage state, address newOwner) private {
        if (newOwner == address(0)) revert DIDRegistryInvalidRecoveryOwner(identity, newOwner);
        uint256 readyAt = block.timestamp + state.delay;
        state.pendingOwner = newOwner;
        // Cannot truncate: a block time plus at most 365 days fits in 64 bits.
        state.readyAt = uint64(readyAt);
        emit DIDRecoveryStarted(identity, state.recovery, newOwner, readyAt);
    }

    /// @dev The only canceller of a pending recovery; emits {DIDRecoveryCancelled}.
    function _cancelRecovery(address identity, Recovery storage state, address by) private {
        state.readyAt = 0;
        delete state.pendingOwner;
        emit DIDRecoveryCancelled(identity, by);
    }

    /// @dev The recovery state of the active `identity`; reverts once deactivated.
    function _activeRecovery(address identity) private view returns (Recovery storage state) {
        if (_records[identity].deactivated()) revert DIDRegistryIdentityDeactivated(identity);
        return _recoveries[identity];
    }

    /// @dev The recovery state of the active `identity` if `actor` is its recovery address; reverts otherwise.
    function _authorizeRecovery(address identity, address actor) private view returns (Recovery storage state) {
        state = _activeRecovery(identity);
        address recovery = state.recovery;
        if (actor != recovery) revert DIDRegistryUnauthorizedRecovery(identity, actor, recovery);
    }

    /// @dev The recovery state of the active `identity` if a recovery is pending; reverts otherwise.
    function _pendingRecovery(address identity) private view returns (Recovery storage state) {
        state = _activeRecovery(identity);
        if (state.readyAt == 0) revert DIDRegistryNoPendingRecovery(identity);
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
        address signer = _consumeSignature(identity, owner, sigV, sigR, sigS, payload);
        if (signer != owner) revert DIDRegistryUnauthorizedActor(identity, signer, owner);
    }

    /// @dev Recovers the signer of `0x19 0x00 registry nonce[expected] identity payload` and, if it is
    /// `expected`, consumes `expected`'s nonce. Payloads start with the function's name, and no name is a prefix of
    /// another, so a signature for one function never verifies for another.
    function _consumeSignature(
        address identity,
        address expected,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes memory payload
    ) private returns (address signer) {
        uint256 expectedNonce = nonce[expected];
        bytes32 hash = keccak256(
            abi.encodePacked(bytes1(0x19), bytes1(0), address(this), expectedNonce, identity, payload)
        );
        signer = ECDSA.recover(hash, sigV, sigR, sigS);
        if (signer == expected) {
            // Cannot overflow: a nonce grows by one per accepted signature, one per transaction at most, so
            // reaching 2^256 - 1 would take more transactions than any chain can ever hold.
            unchecked {
                nonce[expected] = expectedNonce + 1;
            }
        }
    }

    /// @dev The controller of an active identity and its record; reverts once deactivated.
    function _controller(address identity) private view returns (address owner, IdentityRecord record) {
        record = _records[identity];
        if (record.deactivated()) revert DIDRegistryIdentityDeactivated(identity);
        owner = record.controller(identity);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IDIDRegistry} from "./interfaces/IDIDRegistry.sol";
import {AttestationHead, AttestationHeadLibrary} from "./libraries/AttestationHead.sol";
import {IIssuerRegistry} from "./interfaces/IIssuerRegistry.sol";
import {IRealNameRegistry} from "./interfaces/IRealNameRegistry.sol";
import {IStatusRegistry} from "./interfaces/IStatusRegistry.sol";
import {ISignedRequests} from "./interfaces/ISignedRequests.sol";
import {StaticRead} from "./libraries/StaticRead.sol";
import {SignedRequests} from "./utils/SignedRequests.sol";

/// @title RealNameRegistry
/// @notice Real-name attestations of DIDs and the one call to trust them. See {IRealNameRegistry}.
/// @dev Storage of one attestation, two slots:
///
///   slot 0:  | flags (8) | level (8) | statusIndex (40) | expiry (40) | issuer (160) |   (an {AttestationHead})
///   slot 1:  | commitment (256)                                                     |
///
/// flags: bit 0 `_OWNER_RECORDED` — the owner recorded at issuance is not the identity itself and lives in
/// `_owners` (a third slot only for DIDs owned by another account; a self-owned DID needs none);
/// bit 1 `_SCOPED` — scope and nullifier live in `_scopes`; bit 2 `_DISCLOSED` — the holder disclosed the name
/// behind the current commitment, kept in `_disclosedNames`.
/// Status indices are allocated here, from a per-issuer counter (`_statusCounts`), so issuance makes no call to
/// the StatusRegistry; a Merkle root reserves its range at anchoring. Claims are recorded per issuer and status
/// index (`_claimed`, 256 per word). {isVerified} reads slot 0 (and `_owners` when flagged), the issuer's standing,
/// the status slot holding both bits and the DID owner.
contract RealNameRegistry is IRealNameRegistry, SignedRequests {
    /// @dev An attestation as stored (see the layout above).
    struct Record {
        AttestationHead head;
        bytes32 commitment;
    }

    /// @dev An issuer's status-index counter: a struct, so that reading and bumping it hashes its key once.
    struct StatusCount {
        uint256 next;
    }

    /// @dev Scope binding of a scoped attestation.
    struct ScopeBinding {
        bytes32 scope;
        bytes32 nullifier;
    }

    uint8 private constant _OWNER_RECORDED = 1;
    uint8 private constant _SCOPED = 2;
    uint8 private constant _DISCLOSED = 4;

    /// @inheritdoc IRealNameRegistry
    uint256 public constant MAX_BATCH_SIZE = 100;

    /// @inheritdoc IRealNameRegistry
    bytes32 public constant ATTESTATION_TYPEHASH = keccak256(
        "Attestation(address issuer,address signer,address identity,address owner,uint8 level,uint40 expiry,bytes32 commitment,bytes32 scope,bytes32 nullifier,uint256 nonce,uint256 deadline)"
    );

    /// @inheritdoc IRealNameRegistry
    bytes32 public constant DISCLOSURE_TYPEHASH = keccak256(
        "Disclosure(address owner,address identity,string realName,bytes32 salt,uint256 nonce,uint256 deadline)"
    );

    /// @inheritdoc IRealNameRegistry
    bytes32 public constant RENUNCIATION_TYPEHASH = keccak256(
        "Renunciation(address owner,address identity,uint256 nonce,uint256 deadline)"
    );

    IDIDRegistry private immutable _didRegistry;
    IIssuerRegistry private immutable _issuerRegistry;
    IStatusRegistry private immutable _statusRegistry;

    mapping(address identity => Record) private _records;
    mapping(address identity => address owner) private _owners;
    mapping(address identity => ScopeBinding) private _scopes;
    mapping(bytes32 scope => mapping(bytes32 nullifier => address identity)) private _nullifierHolders;
    mapping(address identity => string realName) private _disclosedNames;
    mapping(address issuer => mapping(bytes32 root => MerkleRoot)) private _roots;
    mapping(address issuer => mapping(uint256 wordIndex => uint256 bits)) private _claimed;
    mapping(address issuer => StatusCount) private _statusCounts;

    /// @param didRegistry_ the DIDRegistry (owners, deactivation)
    /// @param issuerRegistry_ the IssuerRegistry (trust list)
    /// @param statusRegistry_ the StatusRegistry holding the issuers' status lists
    constructor(
        address didRegistry_,
        address issuerRegistry_,
        address statusRegistry_
    ) EIP712("RealDID RealNameRegistry", "2") {
        if (didRegistry_ == address(0) || issuerRegistry_ == address(0) || statusRegistry_ == address(0)) {
            revert RealNameRegistryZeroAddress();
        }
        _didRegistry = IDIDRegistry(didRegistry_);
        _issuerRegistry = IIssuerRegistry(issuerRegistry_);
        _statusRegistry = IStatusRegistry(statusRegistry_);
    }

    /// @inheritdoc SignedRequests
    function nonces(address authority) public view override(ISignedRequests, SignedRequests) returns (uint256) {
        return super.nonces(authority);
    }

    /// @inheritdoc IRealNameRegistry
    function didRegistry() external view returns (address) {
        return address(_didRegistry);
    }

    /// @inheritdoc IRealNameRegistry
    function issuerRegistry() external view returns (address) {
        return address(_issuerRegistry);
    }

    /// @inheritdoc IRealNameRegistry
    function statusRegistry() external view returns (address) {
        return address(_statusRegistry);
    }

    /// @inheritdoc IRealNameRegistry
    function version() external pure returns (string memory) {
        return "2.0.0";
    }

    // ------------------------------------------------------------------------------------------------ issuance

    /// @inheritdoc IRealNameRegistry
    /// @dev `data` in memory (here and in {attestBySig}): decoded once, where {_attest} reads it, instead of read from
    /// calldata for the issuance check and then copied (measured: about 400 gas less).
    // solhint-disable-next-line gas-calldata-parameters
    function attest(address issuer, AttestationData memory data) external returns (uint256 statusIndex) {
        _issuerRegistry.checkIssuance(issuer, msg.sender, data.level, data.expiry);
        statusIndex = _allocate(issuer, 1);
        _attest(issuer, msg.sender, data, statusIndex, IssuancePath.Direct, false);
    }

    /// @inheritdoc IRealNameRegistry
    function attestBatch(
        address issuer,
        uint8 level,
        uint40 expiry,
        bytes32 scope,
        address[] calldata identities,
        address[] calldata owners,
        bytes32[] calldata commitments,
        bytes32[] calldata nullifiers
    ) external returns (uint256 firstStatusIndex) {
        _requireBatchShape(scope, identities.length, owners.length, commitments.length, nullifiers.length);
        _issuerRegistry.checkIssuance(issuer, msg.sender, level, expiry);
        firstStatusIndex = _allocate(issuer, identities.length);
        AttestationData memory data = AttestationData(address(0), address(0), level, expiry, 0, scope, 0);
        for (uint256 i; i < identities.length; ++i) {
            data.identity = identities[i];
            data.owner = owners[i];
            data.commitment = commitments[i];
            if (nullifiers.length != 0) data.nullifier = nullifiers[i];
            _attest(issuer, msg.sender, data, firstStatusIndex + i, IssuancePath.Batch, false);
        }
    }

    /// @inheritdoc IRealNameRegistry
    // solhint-disable-next-line gas-calldata-parameters
    function attestBySig(
        address issuer,
        address signer,
        AttestationData memory data,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 statusIndex) {
        bytes32 structHash = keccak256(abi.encode(ATTESTATION_TYPEHASH, issuer, signer, data, nonce, deadline));
        _useSignedRequest(issuer, signer, structHash, nonce, deadline, signature);
        _issuerRegistry.checkIssuance(issuer, signer, data.level, data.expiry);
        statusIndex = _allocate(issuer, 1);
        _attest(issuer, signer, data, statusIndex, IssuancePath.Signed, false);
    }

    /// @inheritdoc IRealNameRegistry
    function anchorRoot(
        address issuer,
        bytes32 root,
        uint8 level,
        uint40 expiry,
        uint256 firstStatusIndex,
        uint32 count,
        string calldata uri
    ) external {
        _issuerRegistry.checkIssuance(issuer, msg.sender, level, expiry);
        if (root == bytes32(0) || count == 0 || _roots[issuer][root].anchoredBy != address(0)) {
            revert RealNameRegistryInvalidRoot(root, count);
        }
        uint256 next = _statusCounts[issuer].next;
        if (firstStatusIndex != next) revert RealNameRegistryStatusIndexMoved(issuer, firstStatusIndex, next);
        _allocate(issuer, count);
        _roots[issuer][root] = MerkleRoot(msg.sender, level, expiry, false, SafeCast.toUint40(next), count);
        emit MerkleRootAnchored(issuer, root, msg.sender, level, expiry, next, count, uri);
    }

    /// @inheritdoc IRealNameRegistry
    function cancelRoot(address issuer, bytes32 root) external {
        if (!_issuerRegistry.isAuthorizedActor(issuer, msg.sender)) {
            revert RealNameRegistryUnauthorizedActor(issuer, msg.sender, issuer);
        }
        MerkleRoot storage anchored = _roots[issuer][root];
        if (anchored.anchoredBy == address(0)) revert RealNameRegistryUnknownRoot(issuer, root);
        if (anchored.cancelled) revert RealNameRegistryRootCancelled(issuer, root);
        anchored.cancelled = true;
        emit MerkleRootCancelled(issuer, root, msg.sender);
    }

    /// @inheritdoc IRealNameRegistry
    function claim(
        address issuer,
        bytes32 root,
        MerkleLeaf calldata leaf,
        bytes32[] calldata proof
    ) external returns (uint256 statusIndex) {
        MerkleRoot memory anchored = _anchoredRoot(issuer, root);
        if (anchored.cancelled) revert RealNameRegistryRootCancelled(issuer, root);
        statusIndex = leaf.statusIndex;
        if (!_inRange(anchored, statusIndex)) revert RealNameRegistryLeafOutOfRange(issuer, root, statusIndex);
        uint256 bit = uint256(1) << (statusIndex & 255);
        uint256 claimedBits = _claimed[issuer][statusIndex >> 8];
        if (claimedBits & bit != 0) revert RealNameRegistryAlreadyClaimed(issuer, statusIndex);
        if (!MerkleProof.verifyCalldata(proof, root, _leafHash(issuer, anchored, leaf))) {
            revert RealNameRegistryInvalidProof(issuer, root, statusIndex);
        }
        _issuerRegistry.checkIssuance(issuer, anchored.anchoredBy, anchored.level, anchored.expiry);
        (bool revoked, ) = _statusRegistry.getStatusBits(issuer, statusIndex);
        if (revoked) revert RealNameRegistryLeafRevoked(issuer, statusIndex);
        _claimed[issuer][statusIndex >> 8] = claimedBits | bit;
        AttestationData memory data = AttestationData(
            leaf.identity,
            leaf.owner,
            anchored.level,
            anchored.expiry,
            leaf.commitment,
            leaf.scope,
            leaf.nullifier
        );
        // The holder's own claim is its consent to replace whatever attestation it has.
        _attest(issuer, anchored.anchoredBy, data, statusIndex, IssuancePath.MerkleClaim, msg.sender == leaf.owner);
        emit MerkleLeafClaimed(issuer, root, leaf.identity, statusIndex);
    }

    /// @inheritdoc IRealNameRegistry
    function verifyLeaf(
        address issuer,
        bytes32 root,
        MerkleLeaf calldata leaf,
        bytes32[] calldata proof
    ) external view returns (bool) {
        MerkleRoot memory anchored = _roots[issuer][root];
        if (anchored.anchoredBy == address(0) || !_inRange(anchored, leaf.statusIndex)) return false;
        return MerkleProof.verifyCalldata(proof, root, _leafHash(issuer, anchored, leaf));
    }

    /// @inheritdoc IRealNameRegistry
    function leafHash(address issuer, bytes32 root, MerkleLeaf calldata leaf) external view returns (bytes32) {
        return _leafHash(issuer, _anchoredRoot(issuer, root), leaf);
    }

    /// @inheritdoc IRealNameRegistry
    function isClaimed(address issuer, uint256 statusIndex) external view returns (bool) {
        return _claimed[issuer][statusIndex >> 8] & (uint256(1) << (statusIndex & 255)) != 0;
    }

    /// @inheritdoc IRealNameRegistry
    function getRoot(address issuer, bytes32 root) external view returns (MerkleRoot memory) {
        return _roots[issuer][root];
    }

    /// @inheritdoc IRealNameRegistry
    function reconfirm(address identity, address owner) external {
        Record storage record = _records[identity];
        AttestationHead head = record.head;
        address issuer = head.issuer();
        if (issuer == address(0)) revert RealNameRegistryNoAttestation(identity);
        _issuerRegistry.checkIssuance(issuer, msg.sender, head.level(), head.expiry());
        _requireOwner(identity, owner);
        record.head = head.withFlags((head.flags() & ~_OWNER_RECORDED) | _recordOwner(identity, owner));
        emit OwnerReconfirmed(identity, issuer, owner, msg.sender);
    }

    /// @inheritdoc IRealNameRegistry
    function renounce(address identity) external {
        _requireHolder(identity, msg.sender);
        _renounce(identity, msg.sender);
    }

    /// @inheritdoc IRealNameRegistry
    function renounceBySig(
        address identity,
        address owner,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(abi.encode(RENUNCIATION_TYPEHASH, owner, identity, nonce, deadline));
        _useSignedRequest(owner, owner, structHash, nonce, deadline, signature);
        _requireHolder(identity, owner);
        _renounce(identity, owner);
    }

    // ------------------------------------------------------------------------------------------------ disclosure

    /// @inheritdoc IRealNameRegistry
    function disclose(address identity, string calldata realName, bytes32 salt) external {
        _requireHolder(identity, msg.sender);
        _disclose(identity, realName, salt);
    }

    /// @inheritdoc IRealNameRegistry
    function discloseBySig(
        address identity,
        address owner,
        string calldata realName,
        bytes32 salt,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external {
        bytes32 structHash = keccak256(
            abi.encode(DISCLOSURE_TYPEHASH, owner, identity, keccak256(bytes(realName)), salt, nonce, deadline)
        );
        _useSignedRequest(owner, owner, structHash, nonce, deadline, signature);
        _requireHolder(identity, owner);
        _disclose(identity, realName, salt);
    }

    // ------------------------------------------------------------------------------------------------ signatures

    /// @inheritdoc IRealNameRegistry
    function cancelSignatures(address authority) external {
        if (!_issuerRegistry.isAuthorizedActor(authority, msg.sender)) {
            revert RealNameRegistryUnauthorizedActor(authority, msg.sender, authority);
        }
        _cancelSignatures(authority);
    }

    // ------------------------------------------------------------------------------------------------ views

    /// @inheritdoc IRealNameRegistry
    function isVerified(address identity, uint8 minLevel) external view returns (bool) {
        return _reason(identity, minLevel) == Reason.Verified;
    }

    /// @inheritdoc IRealNameRegistry
    function getVerification(address identity, uint8 minLevel) external view returns (Verification memory result) {
        Record storage record = _records[identity];
        AttestationHead head = record.head;
        result.reason = _reason(identity, minLevel);
        result.issuer = head.issuer();
        result.level = head.level();
        result.expiry = head.expiry();
        result.statusIndex = head.statusIndex();
        result.commitment = record.commitment;
        result.disclosed = head.flags() & _DISCLOSED != 0;
        if (result.issuer != address(0)) result.owner = _recordedOwner(identity, head.flags());
        (result.scope, result.nullifier) = getScope(identity);
    }

    /// @inheritdoc IRealNameRegistry
    function statusCount(address issuer) external view returns (uint256) {
        return _statusCounts[issuer].next;
    }

    /// @inheritdoc IRealNameRegistry
    function getScope(address identity) public view returns (bytes32 scope, bytes32 nullifier) {
        if (_records[identity].head.flags() & _SCOPED == 0) return (bytes32(0), bytes32(0));
        ScopeBinding storage binding = _scopes[identity];
        return (binding.scope, binding.nullifier);
    }

    /// @inheritdoc IRealNameRegistry
    function nullifierHolder(bytes32 scope, bytes32 nullifier) external view returns (address) {
        return _nullifierHolders[scope][nullifier];
    }

    /// @inheritdoc IRealNameRegistry
    function disclosedName(address identity) external view returns (string memory) {
        if (_records[identity].head.flags() & _DISCLOSED == 0 || _reason(identity, 0) != Reason.Verified) return "";
        return _disclosedNames[identity];
    }

    // ------------------------------------------------------------------------------------------------ internals

    /// @dev The only writer of attestations: validates `data`, applies the replacement rule (`consented`: the
    /// holder agreed to any replacement), enforces the nullifier rule, replaces any previous attestation of the
    /// identity and emits {Attested} (after {AttestationReplaced} when one is replaced). `actor` is the key that
    /// acted for `issuer`.
    function _attest(
        address issuer,
        address actor,
        AttestationData memory data,
        uint256 statusIndex,
        IssuancePath path,
        bool consented
    ) private {
        address identity = data.identity;
        // The zero identity never gets past this: it has no owner, so it reverts with DIDDeactivated.
        _requireOwner(identity, data.owner);
        if (data.commitment == bytes32(0)) revert RealNameRegistryZeroCommitment(identity);
        bool scoped = data.scope != bytes32(0);
        if (scoped != (data.nullifier != bytes32(0))) revert RealNameRegistryInvalidScope(data.scope, data.nullifier);

        Record storage record = _records[identity];
        AttestationHead previous = record.head;
        uint8 flags = 0;
        if (previous.issuer() != address(0)) {
            if (!consented) _requireReplaceable(identity, previous, issuer, data.level, statusIndex, path);
            flags = _replace(record, previous, data);
        }
        flags |= _recordOwner(identity, data.owner);
        if (scoped) {
            _claimNullifier(identity, data.scope, data.nullifier);
            flags |= _SCOPED;
        }
        record.head = AttestationHeadLibrary.pack(
            issuer,
            data.expiry,
            SafeCast.toUint40(statusIndex),
            data.level,
            flags
        );
        record.commitment = data.commitment;
        _emitAttested(issuer, actor, data, statusIndex, path);
    }

    /// @dev Reverts unless the attestation `previous` of `identity` may be replaced without the holder's consent
    /// by one of `issuer` at `level` with `statusIndex` issued through `path` (see the replacement rule).
    function _requireReplaceable(
        address identity,
        AttestationHead previous,
        address issuer,
        uint8 level,
        uint256 statusIndex,
        IssuancePath path
    ) private view {
        if (_reason(identity, 0) != Reason.Verified) return;
        // Direct, batch and signed attestations are issued now; a leaf may be older than the attestation it meets.
        bool newer =
            path != IssuancePath.MerkleClaim || (issuer == previous.issuer() && statusIndex > previous.statusIndex());
        if (!newer || level < previous.level()) {
            revert RealNameRegistryReplacementRefused(
                identity,
                previous.issuer(),
                previous.level(),
                previous.statusIndex()
            );
        }
    }

    /// @dev Removes what the attestation `previous` held that `data` does not keep, announces it with
    /// {AttestationReplaced}, and returns the flags carried over (the disclosure, when the commitment is the same).
    function _replace(
        Record storage record,
        AttestationHead previous,
        AttestationData memory data
    ) private returns (uint8 carried) {
        uint8 flags = previous.flags();
        bool disclosed = flags & _DISCLOSED != 0;
        if (disclosed && record.commitment == data.commitment) carried = _DISCLOSED;
        (bytes32 releasedScope, bytes32 releasedNullifier) = flags & _SCOPED != 0
            ? _releaseNullifier(data.identity, data.scope, data.nullifier)
            : (bytes32(0), bytes32(0));
        emit AttestationReplaced(
            data.identity,
            previous.issuer(),
            previous.statusIndex(),
            previous.level(),
            disclosed && carried == 0,
            releasedScope,
            releasedNullifier
        );
    }

    /// @dev Deletes `identity`'s attestation at its holder `owner`'s request, releasing its nullifier.
    function _renounce(address identity, address owner) private {
        Record storage record = _records[identity];
        AttestationHead head = record.head;
        if (head.issuer() == address(0)) revert RealNameRegistryNoAttestation(identity);
        if (head.flags() & _SCOPED != 0) _releaseNullifier(identity, bytes32(0), bytes32(0));
        delete _records[identity];
        emit AttestationRenounced(identity, head.issuer(), head.statusIndex(), owner);
    }

    /// @dev Emits {Attested}. The data words are written straight from `data`'s memory words (one word per field, in
    /// declaration order, kept clean by Solidity) into free memory, without the ABI encoder's per-field cleanup.
    function _emitAttested(
        address issuer,
        address actor,
        AttestationData memory data,
        uint256 statusIndex,
        IssuancePath path
    ) private {
        bytes32 topic = Attested.selector;
        assembly ("memory-safe") {
            let out := mload(0x40)
            mstore(out, mload(add(data, 0x40))) // level
            mstore(add(out, 0x20), mload(add(data, 0x60))) // expiry
            mstore(add(out, 0x40), statusIndex)
            mstore(add(out, 0x60), mload(add(data, 0x80))) // commitment
            mstore(add(out, 0x80), mload(add(data, 0x20))) // owner
            mstore(add(out, 0xa0), mload(add(data, 0xa0))) // scope
            mstore(add(out, 0xc0), mload(add(data, 0xc0))) // nullifier
            mstore(add(out, 0xe0), path)
            log4(out, 0x100, topic, mload(data), issuer, actor)
        }
    }

    /// @dev Reverts unless a batch of `size` identities fits {MAX_BATCH_SIZE} and its parallel arrays match: as many
    /// owners and commitments, and as many nullifiers when `scope` is set (none otherwise).
    function _requireBatchShape(
        bytes32 scope,
        uint256 size,
        uint256 owners,
        uint256 commitments,
        uint256 nullifiers
    ) private pure {
        if (size == 0 || size > MAX_BATCH_SIZE) revert RealNameRegistryInvalidBatchSize(size, MAX_BATCH_SIZE);
        if (owners != size) revert RealNameRegistryLengthMismatch(size, owners);
        if (commitments != size) revert RealNameRegistryLengthMismatch(size, commitments);
        if (nullifiers != (scope == bytes32(0) ? 0 : size)) revert RealNameRegistryLengthMismatch(size, nullifiers);
    }

    /// @dev Allocates `count` fresh status indices of `issuer` and returns the first; the others follow it. The
    /// counter only grows, so no index is handed out twice.
    function _allocate(address issuer, uint256 count) private returns (uint256 first) {
        StatusCount storage counter = _statusCounts[issuer];
        first = counter.next;
        // No overflow: `first` stays below 2^40 + 2^32 (issuance casts it to 40 bits, a root reserves < 2^32 more).
        unchecked {
            counter.next = first + count;
        }
    }

    /// @dev Frees the nullifier `identity` held, unless the new attestation keeps the same `scope` and
    /// `nullifier`; returns the scope and nullifier given up (zero if none).
    function _releaseNullifier(
        address identity,
        bytes32 scope,
        bytes32 nullifier
    ) private returns (bytes32 releasedScope, bytes32 releasedNullifier) {
        ScopeBinding storage binding = _scopes[identity];
        bytes32 previousScope = binding.scope;
        bytes32 previousNullifier = binding.nullifier;
        if (previousScope == scope && previousNullifier == nullifier) return (bytes32(0), bytes32(0));
        // Another DID may have taken the nullifier over since; only the holder's own entry is freed.
        if (_nullifierHolders[previousScope][previousNullifier] == identity) {
            delete _nullifierHolders[previousScope][previousNullifier];
        }
        return (previousScope, previousNullifier);
    }

    /// @dev Makes `identity` the holder of `nullifier` in `scope`, unless another DID holds it in force.
    function _claimNullifier(address identity, bytes32 scope, bytes32 nullifier) private {
        address holder = _nullifierHolders[scope][nullifier];
        if (holder == identity) return;
        if (holder != address(0) && _holdsNullifier(holder, scope, nullifier)) {
            revert RealNameRegistryNullifierUsed(scope, nullifier, holder);
        }
        _nullifierHolders[scope][nullifier] = identity;
        _scopes[identity] = ScopeBinding(scope, nullifier);
    }

    /// @dev Whether `holder`'s attestation still carries `nullifier` of `scope` and is unexpired, unrevoked and
    /// its DID active.
    function _holdsNullifier(address holder, bytes32 scope, bytes32 nullifier) private view returns (bool) {
        AttestationHead head = _records[holder].head;
        if (head.flags() & _SCOPED == 0 || head.expiry() <= block.timestamp) return false;
        ScopeBinding storage binding = _scopes[holder];
        if (binding.scope != scope || binding.nullifier != nullifier) return false;
        (bool revoked, ) = _statusRegistry.getStatusBits(head.issuer(), head.statusIndex());
        return !revoked && !_didRegistry.deactivated(holder);
    }

    /// @dev Records `owner` for `identity` when it is not the identity itself; returns the owner flag to set.
    function _recordOwner(address identity, address owner) private returns (uint8 flag) {
        if (owner == identity) return 0;
        _owners[identity] = owner;
        return _OWNER_RECORDED;
    }

    /// @dev The owner recorded for `identity`'s attestation with `flags`.
    function _recordedOwner(address identity, uint8 flags) private view returns (address) {
        return flags & _OWNER_RECORDED == 0 ? identity : _owners[identity];
    }

    /// @dev The current owner of `identity`; reverts if the DID was deactivated.
    function _currentOwner(address identity) private view returns (address owner) {
        owner = _identityOwner(identity);
        if (owner == address(0)) revert RealNameRegistryDIDDeactivated(identity);
    }

    /// @dev `DIDRegistry.identityOwner(identity)`: zero once the DID is deactivated.
    function _identityOwner(address identity) private view returns (address) {
        (uint256 owner, ) = StaticRead.words(
            address(_didRegistry),
            IDIDRegistry.identityOwner.selector,
            uint160(identity)
        );
        return address(uint160(owner));
    }

    /// @dev Reverts unless `identity` is active and still owned by `expected`, the owner the issuer checked.
    function _requireOwner(address identity, address expected) private view {
        address current = _currentOwner(identity);
        if (current != expected) revert RealNameRegistryOwnerChanged(identity, expected, current);
    }

    /// @dev Reverts unless `actor` is the current owner of `identity`, which is active: only the holder renounces or
    /// discloses.
    function _requireHolder(address identity, address actor) private view {
        address owner = _currentOwner(identity);
        if (actor != owner) revert RealNameRegistryUnauthorizedActor(identity, actor, owner);
    }

    /// @dev Publishes `realName` of `identity` after checking the attestation verifies and the commitment matches.
    function _disclose(address identity, string calldata realName, bytes32 salt) private {
        Reason reason = _reason(identity, 0);
        if (reason != Reason.Verified) revert RealNameRegistryNotVerified(identity, reason);
        if (salt == bytes32(0)) revert RealNameRegistryZeroSalt(identity);
        Record storage record = _records[identity];
        bytes32 computed = keccak256(abi.encode(identity, keccak256(bytes(realName)), salt));
        if (computed != record.commitment) {
            revert RealNameRegistryCommitmentMismatch(identity, record.commitment, computed);
        }
        _disclosedNames[identity] = realName;
        AttestationHead head = record.head;
        record.head = head.withFlags(head.flags() | _DISCLOSED);
        emit Disclosed(identity, head.issuer(), realName);
    }

    /// @dev `issuer`'s anchored `root`; reverts if unknown.
    function _anchoredRoot(address issuer, bytes32 root) private view returns (MerkleRoot memory anchored) {
        anchored = _roots[issuer][root];
        if (anchored.anchoredBy == address(0)) revert RealNameRegistryUnknownRoot(issuer, root);
    }

    /// @dev Whether `statusIndex` lies in the range `anchored` reserved.
    function _inRange(MerkleRoot memory anchored, uint256 statusIndex) private pure returns (bool) {
        return statusIndex >= anchored.firstStatusIndex && statusIndex - anchored.firstStatusIndex < anchored.count;
    }

    /// @dev The StandardMerkleTree leaf of `leaf` under `issuer`'s root `anchored`: double-hashed, bound to chain,
    /// registry, issuer, level and expiry.
    function _leafHash(
        address issuer,
        MerkleRoot memory anchored,
        MerkleLeaf calldata leaf
    ) private view returns (bytes32) {
        return
            keccak256(
                bytes.concat(
                    keccak256(abi.encode(block.chainid, address(this), issuer, anchored.level, anchored.expiry, leaf))
                )
            );
    }

    /// @dev Why `identity` is or is not verified at `minLevel`; the checks run in the order of {Reason}.
    function _reason(address identity, uint8 minLevel) private view returns (Reason) {
        AttestationHead head = _records[identity].head;
        address issuer = head.issuer();
        if (issuer == address(0)) return Reason.NoAttestation;
        if (head.expiry() <= block.timestamp) return Reason.Expired;
        uint8 level = head.level();
        if (level < minLevel) return Reason.LevelTooLow;
        // The three reads go through StaticRead: this is the one call relying parties pay for.
        (uint256 status, uint256 maxLevel) = StaticRead.words(
            address(_issuerRegistry),
            IIssuerRegistry.issuerStanding.selector,
            uint160(issuer)
        );
        // Each pair of refusals below costs one comparison when the answer is yes; which one only when it is no.
        if (status != uint8(IIssuerRegistry.IssuerStatus.Active)) {
            return
                status == uint8(IIssuerRegistry.IssuerStatus.Suspended)
                    ? Reason.IssuerSuspended
                    : Reason.IssuerNotAccredited;
        }
        if (level > maxLevel) return Reason.IssuerLevelExceeded;
        (uint256 revoked, uint256 suspended) = StaticRead.words(
            address(_statusRegistry),
            IStatusRegistry.getStatusBits.selector,
            uint160(issuer),
            head.statusIndex()
        );
        if ((revoked | suspended) != 0) return revoked != 0 ? Reason.Revoked : Reason.Suspended;
        address owner = _identityOwner(identity);
        // The recorded owner is never zero (issuance and reconfirmation require an active DID's owner), so a
        // deactivated DID, whose owner reads zero, always differs from it.
        if (owner != _recordedOwner(identity, head.flags())) {
            return owner == address(0) ? Reason.DIDDeactivated : Reason.OwnerChanged;
        }
        return Reason.Verified;
    }
}

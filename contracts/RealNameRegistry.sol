// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {IDIDRegistry} from "./interfaces/IDIDRegistry.sol";
import {AttestationHead, AttestationHeadLibrary} from "./libraries/AttestationHead.sol";
import {IIssuerRegistry} from "./interfaces/IIssuerRegistry.sol";
import {IRealNameRegistry} from "./interfaces/IRealNameRegistry.sol";
import {IStatusRegistry} from "./interfaces/IStatusRegistry.sol";

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
/// the StatusRegistry. {isVerified} reads slot 0 (and `_owners` when flagged), the issuer record, the status bits
/// and the DID owner.
contract RealNameRegistry is IRealNameRegistry, EIP712, Nonces {
    /// @dev An attestation as stored (see the layout above).
    struct Record {
        AttestationHead head;
        bytes32 commitment;
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
        "Attestation(address issuer,address signer,address identity,uint8 level,uint40 expiry,bytes32 commitment,bytes32 scope,bytes32 nullifier,address owner,uint256 nonce,uint256 deadline)"
    );

    /// @inheritdoc IRealNameRegistry
    bytes32 public constant DISCLOSURE_TYPEHASH = keccak256(
        "Disclosure(address owner,address identity,string realName,bytes32 salt,uint256 nonce,uint256 deadline)"
    );

    IDIDRegistry private immutable _didRegistry;
    IIssuerRegistry private immutable _issuerRegistry;
    IStatusRegistry private immutable _statusRegistry;

    mapping(address identity => Record) private _records;
    mapping(address identity => address owner) private _owners;
    mapping(address identity => ScopeBinding) private _scopes;
    mapping(bytes32 scope => mapping(bytes32 nullifier => address identity)) private _nullifierHolders;
    mapping(address identity => string realName) private _disclosedNames;
    mapping(bytes32 root => MerkleRoot) private _roots;
    mapping(bytes32 root => mapping(uint256 wordIndex => uint256 bits)) private _claimed;
    mapping(address issuer => uint256 count) private _statusCounts;

    /// @param didRegistry_ the DIDRegistry (owners, deactivation)
    /// @param issuerRegistry_ the IssuerRegistry (trust list)
    /// @param statusRegistry_ the StatusRegistry, which must then be pointed at this registry with
    /// `setAttestationRegistry`
    constructor(
        address didRegistry_,
        address issuerRegistry_,
        address statusRegistry_
    ) EIP712("RealDID RealNameRegistry", "1") {
        if (didRegistry_ == address(0) || issuerRegistry_ == address(0) || statusRegistry_ == address(0)) {
            revert RealNameRegistryZeroAddress();
        }
        _didRegistry = IDIDRegistry(didRegistry_);
        _issuerRegistry = IIssuerRegistry(issuerRegistry_);
        _statusRegistry = IStatusRegistry(statusRegistry_);
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
        return "1.0.0";
    }

    // ------------------------------------------------------------------------------------------------ issuance

    /// @inheritdoc IRealNameRegistry
    function attest(address issuer, AttestationData calldata data) external returns (uint256 statusIndex) {
        _issuerRegistry.checkIssuance(issuer, msg.sender, data.level);
        statusIndex = _allocate(issuer, 1);
        _attest(issuer, data, _currentOwner(data.identity), statusIndex, IssuancePath.Direct);
    }

    /// @inheritdoc IRealNameRegistry
    function attestBatch(
        address issuer,
        uint8 level,
        uint40 expiry,
        bytes32 scope,
        address[] calldata identities,
        bytes32[] calldata commitments,
        bytes32[] calldata nullifiers
    ) external returns (uint256 firstStatusIndex) {
        uint256 size = identities.length;
        if (size == 0 || size > MAX_BATCH_SIZE) revert RealNameRegistryInvalidBatchSize(size, MAX_BATCH_SIZE);
        if (commitments.length != size) revert RealNameRegistryLengthMismatch(size, commitments.length);
        uint256 nullifierCount = scope == bytes32(0) ? 0 : size;
        if (nullifiers.length != nullifierCount) revert RealNameRegistryLengthMismatch(size, nullifiers.length);
        _issuerRegistry.checkIssuance(issuer, msg.sender, level);
        firstStatusIndex = _allocate(issuer, size);
        AttestationData memory data = AttestationData(address(0), level, expiry, bytes32(0), scope, bytes32(0));
        for (uint256 i; i < size; ++i) {
            data.identity = identities[i];
            data.commitment = commitments[i];
            if (nullifierCount != 0) data.nullifier = nullifiers[i];
            _attest(issuer, data, _currentOwner(data.identity), firstStatusIndex + i, IssuancePath.Batch);
        }
    }

    /// @inheritdoc IRealNameRegistry
    function attestBySig(
        address issuer,
        address signer,
        AttestationData calldata data,
        address owner,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 statusIndex) {
        bytes32 structHash = keccak256(abi.encode(ATTESTATION_TYPEHASH, issuer, signer, data, owner, nonce, deadline));
        _checkSignature(issuer, signer, structHash, nonce, deadline, signature);
        _issuerRegistry.checkIssuance(issuer, signer, data.level);
        _requireOwner(data.identity, owner);
        statusIndex = _allocate(issuer, 1);
        _attest(issuer, data, owner, statusIndex, IssuancePath.Signed);
    }

    /// @inheritdoc IRealNameRegistry
    function anchorRoot(
        address issuer,
        bytes32 root,
        uint8 level,
        uint40 expiry,
        uint32 count,
        string calldata uri
    ) external {
        _issuerRegistry.checkIssuance(issuer, msg.sender, level);
        if (expiry <= block.timestamp) revert RealNameRegistryExpired(expiry);
        if (root == bytes32(0) || count == 0 || _roots[root].issuer != address(0)) {
            revert RealNameRegistryInvalidRoot(root, count);
        }
        _roots[root] = MerkleRoot(issuer, level, expiry, count);
        emit MerkleRootAnchored(issuer, root, level, expiry, count, uri);
    }

    /// @inheritdoc IRealNameRegistry
    function claim(
        bytes32 root,
        MerkleLeaf calldata leaf,
        bytes32[] calldata proof
    ) external returns (uint256 statusIndex) {
        MerkleRoot memory anchored = _roots[root];
        if (anchored.issuer == address(0)) revert RealNameRegistryUnknownRoot(root);
        if (leaf.index >= anchored.count) revert RealNameRegistryLeafOutOfRange(root, leaf.index, anchored.count);
        uint256 bit = uint256(1) << (leaf.index & 255);
        uint256 claimedBits = _claimed[root][leaf.index >> 8];
        if (claimedBits & bit != 0) revert RealNameRegistryAlreadyClaimed(root, leaf.index);
        if (!MerkleProof.verifyCalldata(proof, root, _leafHash(anchored, leaf))) {
            revert RealNameRegistryInvalidProof(root, leaf.index);
        }
        _issuerRegistry.checkIssuance(anchored.issuer, anchored.issuer, anchored.level);
        _requireOwner(leaf.identity, leaf.owner);
        _claimed[root][leaf.index >> 8] = claimedBits | bit;
        statusIndex = _allocate(anchored.issuer, 1);
        AttestationData memory data = AttestationData(
            leaf.identity,
            anchored.level,
            anchored.expiry,
            leaf.commitment,
            leaf.scope,
            leaf.nullifier
        );
        _attest(anchored.issuer, data, leaf.owner, statusIndex, IssuancePath.MerkleClaim);
        emit MerkleLeafClaimed(root, leaf.index, leaf.identity);
    }

    /// @inheritdoc IRealNameRegistry
    function verifyLeaf(bytes32 root, MerkleLeaf calldata leaf, bytes32[] calldata proof) external view returns (bool) {
        MerkleRoot memory anchored = _roots[root];
        if (anchored.issuer == address(0) || leaf.index >= anchored.count) return false;
        return MerkleProof.verifyCalldata(proof, root, _leafHash(anchored, leaf));
    }

    /// @inheritdoc IRealNameRegistry
    function leafHash(bytes32 root, MerkleLeaf calldata leaf) external view returns (bytes32) {
        MerkleRoot memory anchored = _roots[root];
        if (anchored.issuer == address(0)) revert RealNameRegistryUnknownRoot(root);
        return _leafHash(anchored, leaf);
    }

    /// @inheritdoc IRealNameRegistry
    function isClaimed(bytes32 root, uint256 index) external view returns (bool) {
        return _claimed[root][index >> 8] & (uint256(1) << (index & 255)) != 0;
    }

    /// @inheritdoc IRealNameRegistry
    function getRoot(bytes32 root) external view returns (MerkleRoot memory) {
        return _roots[root];
    }

    /// @inheritdoc IRealNameRegistry
    function reconfirm(address identity) external {
        Record storage record = _records[identity];
        AttestationHead head = record.head;
        address issuer = head.issuer();
        if (issuer == address(0)) revert RealNameRegistryNoAttestation(identity);
        _issuerRegistry.checkIssuance(issuer, msg.sender, head.level());
        if (head.expiry() <= block.timestamp) revert RealNameRegistryExpired(head.expiry());
        address owner = _currentOwner(identity);
        record.head = head.withFlags((head.flags() & ~_OWNER_RECORDED) | _recordOwner(identity, owner));
        emit OwnerReconfirmed(identity, issuer, owner);
    }

    // ------------------------------------------------------------------------------------------------ disclosure

    /// @inheritdoc IRealNameRegistry
    function disclose(address identity, string calldata realName, bytes32 salt) external {
        address owner = _didRegistry.identityOwner(identity);
        if (msg.sender != owner) revert RealNameRegistryUnauthorizedActor(identity, msg.sender, owner);
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
        _checkSignature(owner, owner, structHash, nonce, deadline, signature);
        address current = _didRegistry.identityOwner(identity);
        if (owner != current) revert RealNameRegistryUnauthorizedActor(identity, owner, current);
        _disclose(identity, realName, salt);
    }

    // ------------------------------------------------------------------------------------------------ signatures

    /// @inheritdoc IRealNameRegistry
    function cancelSignatures(address authority) external {
        if (msg.sender != authority && !_issuerRegistry.isAuthorizedActor(authority, msg.sender)) {
            revert RealNameRegistryUnauthorizedActor(authority, msg.sender, authority);
        }
        emit SignaturesCancelled(authority, _useNonce(authority) + 1);
    }

    /// @inheritdoc IRealNameRegistry
    function nonces(address authority) public view override(IRealNameRegistry, Nonces) returns (uint256) {
        return super.nonces(authority);
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
        return _statusCounts[issuer];
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

    /// @dev The only writer of attestations: validates `data`, enforces the nullifier rule, replaces any previous
    /// attestation of the identity and emits {Attested} (after {AttestationReplaced} when one is replaced).
    function _attest(
        address issuer,
        AttestationData memory data,
        address owner,
        uint256 statusIndex,
        IssuancePath path
    ) private {
        // The zero identity never gets here: it has no owner, so every path reverts with DIDDeactivated.
        address identity = data.identity;
        if (data.expiry <= block.timestamp) revert RealNameRegistryExpired(data.expiry);
        bool scoped = data.scope != bytes32(0);
        if (scoped != (data.nullifier != bytes32(0))) revert RealNameRegistryInvalidScope(data.scope, data.nullifier);

        Record storage record = _records[identity];
        AttestationHead previous = record.head;
        uint8 previousFlags = previous.flags();
        uint8 flags = _recordOwner(identity, owner);
        if (previousFlags & _SCOPED != 0) _releaseNullifier(identity, data.scope, data.nullifier);
        if (scoped) {
            _claimNullifier(identity, data.scope, data.nullifier);
            flags |= _SCOPED;
        }
        if (previousFlags & _DISCLOSED != 0 && record.commitment == data.commitment) flags |= _DISCLOSED;
        if (previous.issuer() != address(0)) {
            emit AttestationReplaced(identity, previous.issuer(), previous.statusIndex());
        }

        record.head = AttestationHeadLibrary.pack(
            issuer,
            data.expiry,
            SafeCast.toUint40(statusIndex),
            data.level,
            flags
        );
        record.commitment = data.commitment;
        _emitAttested(issuer, data, owner, statusIndex, path);
    }

    /// @dev Emits {Attested} (a function of its own to keep {_attest}'s stack shallow).
    function _emitAttested(
        address issuer,
        AttestationData memory data,
        address owner,
        uint256 statusIndex,
        IssuancePath path
    ) private {
        emit Attested(
            data.identity,
            issuer,
            data.level,
            data.expiry,
            statusIndex,
            data.commitment,
            owner,
            data.scope,
            data.nullifier,
            path
        );
    }

    /// @dev Allocates `count` fresh status indices of `issuer` and returns the first; the others follow it. The
    /// counter only grows, so no index is handed out twice.
    function _allocate(address issuer, uint256 count) private returns (uint256 first) {
        first = _statusCounts[issuer];
        _statusCounts[issuer] = first + count;
    }

    /// @dev Frees the nullifier `identity` held, unless the new attestation keeps the same scope and nullifier.
    function _releaseNullifier(address identity, bytes32 scope, bytes32 nullifier) private {
        ScopeBinding storage binding = _scopes[identity];
        bytes32 previousScope = binding.scope;
        bytes32 previousNullifier = binding.nullifier;
        if (previousScope == scope && previousNullifier == nullifier) return;
        // Another DID may have taken the nullifier over since; only the holder's own entry is freed.
        if (_nullifierHolders[previousScope][previousNullifier] == identity) {
            delete _nullifierHolders[previousScope][previousNullifier];
        }
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
        owner = _didRegistry.identityOwner(identity);
        if (owner == address(0)) revert RealNameRegistryDIDDeactivated(identity);
    }

    /// @dev Reverts unless `identity` is active and still owned by `expected`, the owner the issuer checked.
    function _requireOwner(address identity, address expected) private view {
        address current = _currentOwner(identity);
        if (current != expected) revert RealNameRegistryOwnerChanged(identity, expected, current);
    }

    /// @dev Checks deadline, consumes `authority`'s nonce and checks `signer`'s EIP-712 signature of `structHash`.
    function _checkSignature(
        address authority,
        address signer,
        bytes32 structHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) private {
        if (block.timestamp > deadline) revert RealNameRegistryDeadlinePassed(deadline);
        uint256 expected = _useNonce(authority);
        if (nonce != expected) revert RealNameRegistryInvalidNonce(authority, nonce, expected);
        if (!SignatureChecker.isValidSignatureNow(signer, _hashTypedDataV4(structHash), signature)) {
            revert RealNameRegistryInvalidSignature(signer);
        }
    }

    /// @dev Publishes `realName` of `identity` after checking the attestation verifies and the commitment matches.
    function _disclose(address identity, string calldata realName, bytes32 salt) private {
        Reason reason = _reason(identity, 0);
        if (reason != Reason.Verified) revert RealNameRegistryNotVerified(identity, reason);
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

    /// @dev The StandardMerkleTree leaf of `leaf` under `anchored`: double-hashed, bound to chain, registry,
    /// issuer, level and expiry.
    function _leafHash(MerkleRoot memory anchored, MerkleLeaf calldata leaf) private view returns (bytes32) {
        return
            keccak256(
                bytes.concat(
                    keccak256(
                        abi.encode(block.chainid, address(this), anchored.issuer, anchored.level, anchored.expiry, leaf)
                    )
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
        IIssuerRegistry.Issuer memory accreditation = _issuerRegistry.getIssuer(issuer);
        if (accreditation.status == IIssuerRegistry.IssuerStatus.Suspended) return Reason.IssuerSuspended;
        if (accreditation.status != IIssuerRegistry.IssuerStatus.Active) return Reason.IssuerNotAccredited;
        if (level > accreditation.maxLevel) return Reason.IssuerLevelExceeded;
        (bool revoked, bool suspended) = _statusRegistry.getStatusBits(issuer, head.statusIndex());
        if (revoked) return Reason.Revoked;
        if (suspended) return Reason.Suspended;
        address owner = _didRegistry.identityOwner(identity);
        if (owner == address(0)) return Reason.DIDDeactivated;
        if (owner != _recordedOwner(identity, head.flags())) return Reason.OwnerChanged;
        return Reason.Verified;
    }
}

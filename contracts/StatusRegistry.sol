// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {IIssuerRegistry} from "./interfaces/IIssuerRegistry.sol";
import {IStatusRegistry} from "./interfaces/IStatusRegistry.sol";

/// @title StatusRegistry
/// @notice Bitstring revocation and suspension lists of issuers. See {IStatusRegistry}.
/// @dev Storage: `_words[issuer][purpose][i / 256]` holds status `i` at bit `255 - i % 256` (most significant
/// bit first, the W3C bitstring order). An issuer writing its own list needs no IssuerRegistry call, so a
/// revocation costs one cold slot read and write plus its event.
contract StatusRegistry is IStatusRegistry, EIP712, Nonces {
    /// @inheritdoc IStatusRegistry
    uint8 public constant REVOCATION = 0;

    /// @inheritdoc IStatusRegistry
    uint8 public constant SUSPENSION = 1;

    /// @inheritdoc IStatusRegistry
    uint256 public constant MAX_BATCH_SIZE = 256;

    /// @inheritdoc IStatusRegistry
    bytes32 public constant STATUS_UPDATE_TYPEHASH = keccak256(
        "StatusUpdate(address issuer,address signer,uint8 purpose,uint256 index,bool value,uint256 nonce,uint256 deadline)"
    );

    IIssuerRegistry private immutable _issuerRegistry;
    address private immutable _deployer;

    /// @inheritdoc IStatusRegistry
    address public attestationRegistry;

    mapping(address issuer => mapping(uint8 purpose => mapping(uint256 wordIndex => uint256 word))) private _words;

    /// @param issuerRegistry_ the IssuerRegistry deciding who acts for an issuer
    constructor(address issuerRegistry_) EIP712("RealDID StatusRegistry", "1") {
        if (issuerRegistry_ == address(0)) revert StatusRegistryZeroAddress();
        _issuerRegistry = IIssuerRegistry(issuerRegistry_);
        _deployer = msg.sender;
    }

    /// @inheritdoc IStatusRegistry
    function issuerRegistry() external view returns (address) {
        return address(_issuerRegistry);
    }

    /// @inheritdoc IStatusRegistry
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    /// @inheritdoc IStatusRegistry
    function setAttestationRegistry(address registry) external {
        if (msg.sender != _deployer || attestationRegistry != address(0)) {
            revert StatusRegistryUnauthorizedConfiguration(msg.sender, attestationRegistry);
        }
        if (registry == address(0)) revert StatusRegistryZeroAddress();
        attestationRegistry = registry;
        emit AttestationRegistrySet(registry);
    }

    /// @inheritdoc IStatusRegistry
    function setStatus(address issuer, uint8 purpose, uint256 index, bool value) external {
        _requireActor(issuer);
        _writeStatus(issuer, purpose, index, value);
    }

    /// @inheritdoc IStatusRegistry
    function revoke(uint256 index) external {
        _writeStatus(msg.sender, REVOCATION, index, true);
    }

    /// @inheritdoc IStatusRegistry
    function setStatuses(address issuer, uint8 purpose, uint256[] calldata indices, bool value) external {
        if (indices.length == 0 || indices.length > MAX_BATCH_SIZE) {
            revert StatusRegistryInvalidBatchSize(indices.length, MAX_BATCH_SIZE);
        }
        _requirePurpose(purpose);
        _requireActor(issuer);
        mapping(uint256 => uint256) storage list = _words[issuer][purpose];
        // Consecutive indices of one word are applied to it in memory and written (and announced) once.
        uint256 wordIndex = indices[0] >> 8;
        uint256 word = list[wordIndex];
        for (uint256 i = 1; i <= indices.length; ++i) {
            word = _apply(word, indices[i - 1], value);
            if (i == indices.length || indices[i] >> 8 != wordIndex) {
                _writeWord(issuer, purpose, list, wordIndex, word);
                if (i == indices.length) break;
                wordIndex = indices[i] >> 8;
                word = list[wordIndex];
            }
        }
    }

    /// @inheritdoc IStatusRegistry
    function setStatusWord(address issuer, uint8 purpose, uint256 wordIndex, uint256 word) external {
        _requirePurpose(purpose);
        _requireActor(issuer);
        _writeWord(issuer, purpose, _words[issuer][purpose], wordIndex, word);
    }

    /// @inheritdoc IStatusRegistry
    function setStatusBySig(
        address issuer,
        address signer,
        uint8 purpose,
        uint256 index,
        bool value,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert StatusRegistryDeadlinePassed(deadline);
        uint256 expected = _useNonce(issuer);
        if (nonce != expected) revert StatusRegistryInvalidNonce(issuer, nonce, expected);
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(STATUS_UPDATE_TYPEHASH, issuer, signer, purpose, index, value, nonce, deadline))
        );
        if (
            !SignatureChecker.isValidSignatureNow(signer, digest, signature) ||
            !_issuerRegistry.isAuthorizedActor(issuer, signer)
        ) revert StatusRegistryInvalidSignature(issuer, signer);
        _writeStatus(issuer, purpose, index, value);
    }

    /// @inheritdoc IStatusRegistry
    function cancelSignatures(address issuer) external {
        _requireActor(issuer);
        emit SignaturesCancelled(issuer, _useNonce(issuer) + 1);
    }

    /// @inheritdoc IStatusRegistry
    function nonces(address issuer) public view override(IStatusRegistry, Nonces) returns (uint256) {
        return super.nonces(issuer);
    }

    /// @inheritdoc IStatusRegistry
    function getStatus(address issuer, uint8 purpose, uint256 index) public view returns (bool) {
        return _words[issuer][purpose][index >> 8] & _mask(index) != 0;
    }

    /// @inheritdoc IStatusRegistry
    function getStatuses(
        address issuer,
        uint8 purpose,
        uint256[] calldata indices
    ) external view returns (bool[] memory values) {
        values = new bool[](indices.length);
        for (uint256 i; i < indices.length; ++i) {
            values[i] = getStatus(issuer, purpose, indices[i]);
        }
    }

    /// @inheritdoc IStatusRegistry
    function getStatusWord(address issuer, uint8 purpose, uint256 wordIndex) external view returns (uint256) {
        return _words[issuer][purpose][wordIndex];
    }

    /// @inheritdoc IStatusRegistry
    function getStatusBits(address issuer, uint256 index) external view returns (bool revoked, bool suspended) {
        revoked = getStatus(issuer, REVOCATION, index);
        suspended = getStatus(issuer, SUSPENSION, index);
    }

    /// @dev The only writer of single statuses; emits {StatusChanged}.
    function _writeStatus(address issuer, uint8 purpose, uint256 index, bool value) private {
        _requirePurpose(purpose);
        mapping(uint256 => uint256) storage list = _words[issuer][purpose];
        list[index >> 8] = _apply(list[index >> 8], index, value);
        emit StatusChanged(issuer, purpose, index, value);
    }

    /// @dev The only writer of whole words; emits {StatusWordChanged}.
    function _writeWord(
        address issuer,
        uint8 purpose,
        mapping(uint256 => uint256) storage list,
        uint256 wordIndex,
        uint256 word
    ) private {
        list[wordIndex] = word;
        emit StatusWordChanged(issuer, purpose, wordIndex, word);
    }

    /// @dev Reverts unless the caller is `issuer` or may act for it.
    function _requireActor(address issuer) private view {
        if (msg.sender != issuer && !_issuerRegistry.isAuthorizedActor(issuer, msg.sender)) {
            revert StatusRegistryUnauthorizedActor(issuer, msg.sender);
        }
    }

    /// @dev Reverts unless `purpose` is revocation or suspension.
    function _requirePurpose(uint8 purpose) private pure {
        if (purpose > SUSPENSION) revert StatusRegistryUnknownPurpose(purpose);
    }

    /// @dev The bit of status `index` within its word: most significant bit first.
    function _mask(uint256 index) private pure returns (uint256) {
        return uint256(1) << (255 - (index & 255));
    }

    /// @dev `word` (the word holding status `index`) with that status set to `value`.
    function _apply(uint256 word, uint256 index, bool value) private pure returns (uint256) {
        return value ? word | _mask(index) : word & ~_mask(index);
    }
}

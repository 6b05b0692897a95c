// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IIssuerRegistry} from "./interfaces/IIssuerRegistry.sol";
import {IStatusRegistry} from "./interfaces/IStatusRegistry.sol";
import {ISignedRequests} from "./interfaces/ISignedRequests.sol";
import {SignedRequests} from "./utils/SignedRequests.sol";

/// @title StatusRegistry
/// @notice Bitstring revocation and suspension lists of issuers. See {IStatusRegistry}.
/// @dev Storage: `_slots[key]` with
///
///   key:  bit  255      | 254 ............. 160 | 159 ........ 0 |
///              list (1) | index / 128 (95)      | issuer (160)   |     list: 0 attestations, 1 credentials
///
/// holds the revocation word (even purpose) of indices `128 * (index / 128)` .. `+ 127` in its high 128 bits and the
/// suspension word (odd purpose) in its low 128 bits; status `i` is bit `127 - i % 128` of its word. Issuer and word
/// share one mapping key, so finding a slot hashes once (the longest list, 2^40 statuses, needs 33 of the 95 bits).
/// An issuer setting a status of its own list needs no IssuerRegistry call, so a revocation costs one cold slot read
/// and write plus its event; only lifting a suspension asks the IssuerRegistry for the issuer's standing.
contract StatusRegistry is IStatusRegistry, SignedRequests {
    /// @inheritdoc IStatusRegistry
    uint8 public constant REVOCATION = 0;

    /// @inheritdoc IStatusRegistry
    uint8 public constant SUSPENSION = 1;

    /// @inheritdoc IStatusRegistry
    uint8 public constant CREDENTIAL_REVOCATION = 2;

    /// @inheritdoc IStatusRegistry
    uint8 public constant CREDENTIAL_SUSPENSION = 3;

    /// @inheritdoc IStatusRegistry
    uint256 public constant ATTESTATION_LIST_LENGTH = 1 << 40;

    /// @inheritdoc IStatusRegistry
    uint256 public constant CREDENTIAL_LIST_LENGTH = 131072;

    /// @inheritdoc IStatusRegistry
    uint256 public constant MAX_BATCH_SIZE = 256;

    /// @inheritdoc IStatusRegistry
    bytes32 public constant STATUS_UPDATE_TYPEHASH = keccak256(
        "StatusUpdate(address issuer,address signer,uint8 purpose,uint256 index,bool value,uint256 nonce,uint256 deadline)"
    );

    /// @dev The word-index bits of a storage key.
    uint256 private constant _WORD_INDEX_MASK = (1 << 95) - 1;

    IIssuerRegistry private immutable _issuerRegistry;

    mapping(uint256 key => uint256 words) private _slots;

    /// @param issuerRegistry_ the IssuerRegistry deciding who acts for an issuer
    constructor(address issuerRegistry_) EIP712("RealDID StatusRegistry", "2") {
        if (issuerRegistry_ == address(0)) revert StatusRegistryZeroAddress();
        _issuerRegistry = IIssuerRegistry(issuerRegistry_);
    }

    /// @inheritdoc SignedRequests
    function nonces(address authority) public view override(ISignedRequests, SignedRequests) returns (uint256) {
        return super.nonces(authority);
    }

    /// @inheritdoc IStatusRegistry
    function issuerRegistry() external view returns (address) {
        return address(_issuerRegistry);
    }

    /// @inheritdoc IStatusRegistry
    function version() external pure returns (string memory) {
        return "2.0.0";
    }

    /// @inheritdoc IStatusRegistry
    function setStatus(address issuer, uint8 purpose, uint256 index, bool value) external {
        _requireActor(issuer, msg.sender);
        _writeStatusAs(issuer, purpose, index, value, msg.sender);
    }

    /// @inheritdoc IStatusRegistry
    function revoke(uint256 index) external {
        // setStatus(msg.sender, REVOCATION, index, true) without the checks that cannot fail for it.
        if (index >= ATTESTATION_LIST_LENGTH)
            revert StatusRegistryIndexOutOfRange(REVOCATION, index, ATTESTATION_LIST_LENGTH);
        // _mask(REVOCATION, index), spelled out: the call costs more than the formula.
        unchecked {
            _slots[_key(msg.sender, REVOCATION, index)] |= uint256(1) << (255 - (index & 127));
        }
        emit StatusChanged(msg.sender, REVOCATION, index, true, msg.sender);
    }

    /// @inheritdoc IStatusRegistry
    function setStatuses(address issuer, uint8 purpose, uint256[] calldata indices, bool value) external {
        uint256 size = indices.length;
        if (size == 0 || size > MAX_BATCH_SIZE) revert StatusRegistryInvalidBatchSize(size, MAX_BATCH_SIZE);
        _requireActor(issuer, msg.sender);
        _requireWritable(issuer, purpose, value);
        uint256 length = _listLength(purpose);
        // Consecutive indices of one word are applied to it in memory and written (and announced) once.
        uint256 word = indices[0] >> 7;
        uint256 key = _key(issuer, purpose, indices[0]);
        uint256 words = _slots[key];
        for (uint256 i; i < size; ++i) {
            uint256 index = indices[i];
            if (index >= length) revert StatusRegistryIndexOutOfRange(purpose, index, length);
            if (index >> 7 != word) {
                _writeWord(issuer, purpose, key, words);
                word = index >> 7;
                key = _key(issuer, purpose, index);
                words = _slots[key];
            }
            uint256 mask = _mask(purpose, index);
            if (!value && words & mask != 0 && _isRevocation(purpose))
                revert StatusRegistryRevocationFinal(issuer, purpose, index);
            words = value ? words | mask : words & ~mask;
        }
        _writeWord(issuer, purpose, key, words);
    }

    /// @inheritdoc IStatusRegistry
    function setStatusWord(address issuer, uint8 purpose, uint256 wordIndex, uint128 word) external {
        _requireActor(issuer, msg.sender);
        _requireWordIndex(purpose, wordIndex);
        uint256 key = _key(issuer, purpose, wordIndex << 7);
        uint256 words = _slots[key];
        uint256 shift = _shift(purpose);
        uint256 cleared = (words >> shift) & ~uint256(word) & type(uint128).max;
        if (cleared != 0) {
            // The first cleared status: the most significant cleared bit of the word.
            uint256 first = (wordIndex << 7) + 127 - Math.log2(cleared);
            if (_isRevocation(purpose)) revert StatusRegistryRevocationFinal(issuer, purpose, first);
            _requireWritable(issuer, purpose, false);
        }
        words = (words & ~(uint256(type(uint128).max) << shift)) | (uint256(word) << shift);
        _writeWord(issuer, purpose, key, words);
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
        bytes32 structHash = keccak256(
            abi.encode(STATUS_UPDATE_TYPEHASH, issuer, signer, purpose, index, value, nonce, deadline)
        );
        _useSignedRequest(issuer, signer, structHash, nonce, deadline, signature);
        _requireActor(issuer, signer);
        _writeStatusAs(issuer, purpose, index, value, signer);
    }

    /// @inheritdoc IStatusRegistry
    function cancelSignatures(address issuer) external {
        _requireActor(issuer, msg.sender);
        _cancelSignatures(issuer);
    }

    /// @inheritdoc IStatusRegistry
    function getStatus(address issuer, uint8 purpose, uint256 index) public view returns (bool) {
        _requireIndex(purpose, index);
        return _slots[_key(issuer, purpose, index)] & _mask(purpose, index) != 0;
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
    function getStatusWord(address issuer, uint8 purpose, uint256 wordIndex) external view returns (uint128) {
        _requireWordIndex(purpose, wordIndex);
        return uint128(_slots[_key(issuer, purpose, wordIndex << 7)] >> _shift(purpose));
    }

    /// @inheritdoc IStatusRegistry
    function getStatusBits(address issuer, uint256 index) external view returns (bool revoked, bool suspended) {
        // Beyond the list nothing is ever set; the check keeps the index inside its bits of the key.
        if (index >= ATTESTATION_LIST_LENGTH) return (false, false);
        uint256 words = _slots[_key(issuer, REVOCATION, index)];
        // No overflow: `bit` is at most 127.
        unchecked {
            uint256 bit = 127 - (index & 127);
            revoked = (words >> (bit + 128)) & 1 != 0;
            suspended = (words >> bit) & 1 != 0;
        }
    }

    /// @dev The only writer of single statuses: enforces the list's rules and emits {StatusChanged} naming `actor`.
    function _writeStatusAs(address issuer, uint8 purpose, uint256 index, bool value, address actor) private {
        _requireIndex(purpose, index);
        _requireWritable(issuer, purpose, value);
        uint256 key = _key(issuer, purpose, index);
        uint256 mask = _mask(purpose, index);
        uint256 words = _slots[key];
        if (value) {
            _slots[key] = words | mask;
        } else {
            if (words & mask != 0 && _isRevocation(purpose))
                revert StatusRegistryRevocationFinal(issuer, purpose, index);
            _slots[key] = words & ~mask;
        }
        emit StatusChanged(issuer, purpose, index, value, actor);
    }

    /// @dev The only writer of whole words; emits {StatusWordChanged} with the word of `purpose` in `words`.
    function _writeWord(address issuer, uint8 purpose, uint256 key, uint256 words) private {
        _slots[key] = words;
        uint256 wordIndex = (key >> 160) & _WORD_INDEX_MASK;
        emit StatusWordChanged(issuer, purpose, wordIndex, uint128(words >> _shift(purpose)), msg.sender);
    }

    /// @dev Reverts unless `actor` is `issuer` or may act for it.
    function _requireActor(address issuer, address actor) private view {
        if (actor != issuer && !_issuerRegistry.isAuthorizedActor(issuer, actor)) {
            revert StatusRegistryUnauthorizedActor(issuer, actor);
        }
    }

    /// @dev Reverts when clearing (`value` false) a suspension of an issuer that is not active. (Clearing a set
    /// revocation bit is refused where the bit is read.)
    function _requireWritable(address issuer, uint8 purpose, bool value) private view {
        _requirePurpose(purpose);
        if (value || _isRevocation(purpose)) return;
        (IIssuerRegistry.IssuerStatus status, ) = _issuerRegistry.issuerStanding(issuer);
        if (status != IIssuerRegistry.IssuerStatus.Active) revert StatusRegistryIssuerNotActive(issuer, status);
    }

    /// @dev Reverts unless `index` lies in `purpose`'s list.
    function _requireIndex(uint8 purpose, uint256 index) private pure {
        uint256 length = _listLength(purpose);
        if (index >= length) revert StatusRegistryIndexOutOfRange(purpose, index, length);
    }

    /// @dev Reverts unless word `wordIndex` lies in `purpose`'s list (the error then counts words, not statuses).
    function _requireWordIndex(uint8 purpose, uint256 wordIndex) private pure {
        uint256 words = _listLength(purpose) >> 7;
        if (wordIndex >= words) revert StatusRegistryIndexOutOfRange(purpose, wordIndex, words);
    }

    /// @dev The number of statuses of `purpose`'s list; reverts unless `purpose` is one of the four lists.
    function _listLength(uint8 purpose) private pure returns (uint256) {
        _requirePurpose(purpose);
        return purpose < CREDENTIAL_REVOCATION ? ATTESTATION_LIST_LENGTH : CREDENTIAL_LIST_LENGTH;
    }

    /// @dev Reverts unless `purpose` is one of the four lists.
    function _requirePurpose(uint8 purpose) private pure {
        if (purpose > CREDENTIAL_SUSPENSION) revert StatusRegistryUnknownPurpose(purpose);
    }

    /// @dev The storage key of `issuer`'s slot holding status `index` of `purpose`'s list (and of its sibling list).
    /// Every path checks that `index` lies in its list before it uses the key; the mask keeps the key of any other
    /// index (read before that check reverts) inside its field.
    function _key(address issuer, uint8 purpose, uint256 index) private pure returns (uint256) {
        return (uint256(purpose >> 1) << 255) | (((index >> 7) & _WORD_INDEX_MASK) << 160) | uint256(uint160(issuer));
    }

    /// @dev Where `purpose`'s word sits in a slot: revocation words high, suspension words low.
    function _shift(uint8 purpose) private pure returns (uint256) {
        return _isRevocation(purpose) ? 128 : 0;
    }

    /// @dev Whether `purpose` is a revocation list (even purposes), whose set bits are final.
    function _isRevocation(uint8 purpose) private pure returns (bool) {
        return purpose & 1 == 0;
    }

    /// @dev The bit of status `index` of `purpose` within its slot: most significant bit of the word first.
    function _mask(uint8 purpose, uint256 index) private pure returns (uint256) {
        // No overflow: the shift is at most 255.
        unchecked {
            return uint256(1) << (_shift(purpose) + 127 - (index & 127));
        }
    }
}

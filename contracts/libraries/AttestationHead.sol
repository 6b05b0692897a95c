// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @notice The first storage word of an attestation: everything {RealNameRegistry-isVerified} needs from it.
///
///   bit  255 ... 248 | 247 ... 240 | 239 ....... 200 | 199 ... 160 | 159 ........ 0 |
///        flags (8)   | level (8)   | statusIndex (40) | expiry (40) | issuer (160)   |
///
/// Written whole (one SSTORE, no read-modify-write) and read with one SLOAD. A 40-bit expiry lasts until year
/// 36812; a 40-bit status index gives each issuer 1.1e12 attestations.
type AttestationHead is uint256;

using AttestationHeadLibrary for AttestationHead global;

/// @title AttestationHeadLibrary
/// @notice Constructor and accessors of {AttestationHead}.
library AttestationHeadLibrary {
    uint256 private constant _EXPIRY_OFFSET = 160;
    uint256 private constant _STATUS_INDEX_OFFSET = 200;
    uint256 private constant _LEVEL_OFFSET = 240;
    uint256 private constant _FLAGS_OFFSET = 248;

    /// @notice Packs the five fields.
    function pack(
        address issuer_,
        uint40 expiry_,
        uint40 statusIndex_,
        uint8 level_,
        uint8 flags_
    ) internal pure returns (AttestationHead) {
        return
            AttestationHead.wrap(
                uint256(uint160(issuer_)) |
                    (uint256(expiry_) << _EXPIRY_OFFSET) |
                    (uint256(statusIndex_) << _STATUS_INDEX_OFFSET) |
                    (uint256(level_) << _LEVEL_OFFSET) |
                    (uint256(flags_) << _FLAGS_OFFSET)
            );
    }

    /// @notice The issuer (zero: no attestation).
    function issuer(AttestationHead head) internal pure returns (address) {
        return address(uint160(AttestationHead.unwrap(head)));
    }

    /// @notice Unix time after which the attestation no longer verifies.
    function expiry(AttestationHead head) internal pure returns (uint40) {
        return uint40(AttestationHead.unwrap(head) >> _EXPIRY_OFFSET);
    }

    /// @notice Index of the attestation in its issuer's status lists.
    function statusIndex(AttestationHead head) internal pure returns (uint40) {
        return uint40(AttestationHead.unwrap(head) >> _STATUS_INDEX_OFFSET);
    }

    /// @notice Assurance level.
    function level(AttestationHead head) internal pure returns (uint8) {
        return uint8(AttestationHead.unwrap(head) >> _LEVEL_OFFSET);
    }

    /// @notice Flag bits (owner recorded, scoped, disclosed; see RealNameRegistry).
    function flags(AttestationHead head) internal pure returns (uint8) {
        return uint8(AttestationHead.unwrap(head) >> _FLAGS_OFFSET);
    }

    /// @notice The same head with its flags replaced by `flags_`.
    function withFlags(AttestationHead head, uint8 flags_) internal pure returns (AttestationHead) {
        uint256 word = AttestationHead.unwrap(head) & ~(uint256(type(uint8).max) << _FLAGS_OFFSET);
        return AttestationHead.wrap(word | (uint256(flags_) << _FLAGS_OFFSET));
    }
}

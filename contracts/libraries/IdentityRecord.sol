// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @notice An identity's owner, last-change block, deactivation flag and whether it has a recovery address,
/// packed in one storage word.
///
///   bit  255 ........ 226 | 225      | 224         | 223 ........ 160 | 159 ........ 0 |
///        (zero)           | recovery | deactivated | changed (uint64) | owner (address) |
///
/// Writes replace the whole word (one SSTORE, no read-modify-write); reads are one SLOAD. The recovery flag lets
/// an owner change see, without reading the recovery record, whether it has one to clear; {pack} leaves it unset
/// because every owner change ends the designation.
type IdentityRecord is uint256;

using IdentityRecordLibrary for IdentityRecord global;

/// @title IdentityRecordLibrary
/// @notice Accessors and constructors for {IdentityRecord}.
library IdentityRecordLibrary {
    uint256 private constant _OWNER_MASK = type(uint160).max;
    uint256 private constant _CHANGED_OFFSET = 160;
    uint256 private constant _DEACTIVATED_BIT = 1 << 224;
    uint256 private constant _RECOVERY_BIT = 1 << 225;

    /// @notice Packs owner, last change and deactivation, without a recovery address; `changed` must fit in 64
    /// bits (block numbers do).
    function pack(address owner_, uint256 changed_, bool deactivated_) internal pure returns (IdentityRecord record) {
        uint256 word = uint160(owner_) | (uint256(uint64(changed_)) << _CHANGED_OFFSET);
        if (deactivated_) word |= _DEACTIVATED_BIT;
        return IdentityRecord.wrap(word);
    }

    /// @notice The recorded owner (`address(0)`: the identity owns itself, or it is deactivated).
    function owner(IdentityRecord record) internal pure returns (address) {
        return address(uint160(IdentityRecord.unwrap(record) & _OWNER_MASK));
    }

    /// @notice Block number of the last change.
    function changed(IdentityRecord record) internal pure returns (uint256) {
        return uint64(IdentityRecord.unwrap(record) >> _CHANGED_OFFSET);
    }

    /// @notice The address that controls the identity if it is active: its recorded owner, else `identity` itself.
    function controller(IdentityRecord record, address identity) internal pure returns (address) {
        address recorded = owner(record);
        return recorded == address(0) ? identity : recorded;
    }

    /// @notice Whether the identity was deactivated.
    function deactivated(IdentityRecord record) internal pure returns (bool) {
        return IdentityRecord.unwrap(record) & _DEACTIVATED_BIT != 0;
    }

    /// @notice The same record with its last-change block set to `changed_`.
    function withChanged(IdentityRecord record, uint256 changed_) internal pure returns (IdentityRecord) {
        uint256 word = IdentityRecord.unwrap(record) & ~(uint256(type(uint64).max) << _CHANGED_OFFSET);
        return IdentityRecord.wrap(word | (uint256(uint64(changed_)) << _CHANGED_OFFSET));
    }

    /// @notice Whether the identity has a recovery address.
    function hasRecovery(IdentityRecord record) internal pure returns (bool) {
        return IdentityRecord.unwrap(record) & _RECOVERY_BIT != 0;
    }

    /// @notice The same record with its recovery flag set to `hasRecovery_`.
    function withRecovery(IdentityRecord record, bool hasRecovery_) internal pure returns (IdentityRecord) {
        uint256 word = IdentityRecord.unwrap(record) & ~_RECOVERY_BIT;
        return IdentityRecord.wrap(hasRecovery_ ? word | _RECOVERY_BIT : word);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @dev Maps a fuzzed `value` into [min, max].
function bound(uint256 value, uint256 min, uint256 max) pure returns (uint256) {
    return min + (value % (max - min + 1));
}

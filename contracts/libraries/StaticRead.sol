// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title StaticRead
/// @notice A view call to one of RealDID's own registries on the hot path of `isVerified` and issuance: arguments and
/// results pass through scratch memory, with none of the ABI encoder's allocation or the decoder's range checks,
/// which the callee's fixed return shape makes unnecessary. Reverts bubble up unchanged.
library StaticRead {
    /// @notice `target.staticcall(selector, a)` and the first two words it returns (the second is meaningless when
    /// the callee returns one).
    function words(address target, bytes4 selector, uint256 a) internal view returns (uint256 first, uint256 second) {
        assembly ("memory-safe") {
            // Selector and argument fill bytes 0x00 to 0x24 of the scratch space; the answer lands in 0x00 to 0x40.
            mstore(0x00, selector)
            mstore(0x04, a)
            let ok := staticcall(gas(), target, 0x00, 0x24, 0x00, 0x40)
            if iszero(and(ok, gt(returndatasize(), 0x1f))) {
                let freePointer := mload(0x40)
                returndatacopy(freePointer, 0x00, returndatasize())
                revert(freePointer, returndatasize())
            }
            first := mload(0x00)
            second := mload(0x20)
        }
    }

    /// @notice `target.staticcall(selector, a, b)` and the first two words it returns.
    function words(
        address target,
        bytes4 selector,
        uint256 a,
        uint256 b
    ) internal view returns (uint256 first, uint256 second) {
        assembly ("memory-safe") {
            let freePointer := mload(0x40)
            mstore(0x00, selector)
            mstore(0x04, a)
            mstore(0x24, b)
            let ok := staticcall(gas(), target, 0x00, 0x44, 0x00, 0x40)
            if iszero(and(ok, gt(returndatasize(), 0x1f))) {
                returndatacopy(freePointer, 0x00, returndatasize())
                revert(freePointer, returndatasize())
            }
            first := mload(0x00)
            second := mload(0x20)
            // The second argument overwrote the free memory pointer's slot.
            mstore(0x40, freePointer)
        }
    }
}

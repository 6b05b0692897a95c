// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title StaticRead
/// @notice A view call to one of RealDID's own registries on the hot path of `isVerified`: arguments and results
/// pass through scratch memory, with none of the ABI encoder's allocation or the decoder's range checks, which
/// the callee's fixed return shape makes unnecessary. Reverts bubble up unchanged.
library StaticRead {
    /// @notice `target.staticcall(selector, a[, b])` (`args` is 1 or 2) and the first two words it returns.
    function words(
        address target,
        bytes4 selector,
        uint256 args,
        uint256 a,
        uint256 b
    ) internal view returns (uint256 first, uint256 second) {
        assembly ("memory-safe") {
            let freePointer := mload(0x40)
            mstore(0x00, selector)
            mstore(0x04, a)
            mstore(0x24, b)
            let ok := staticcall(gas(), target, 0x00, add(0x04, shl(5, args)), 0x00, 0x40)
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

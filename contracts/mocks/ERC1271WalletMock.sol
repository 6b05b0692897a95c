// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title ERC1271WalletMock
/// @notice Test double, never deployed outside tests: a contract wallet (EIP-1271) standing in for a multisig
/// issuer or DID owner. A signature is valid when it is the ECDSA signature of the hash by the wallet's owner key.
contract ERC1271WalletMock is IERC1271 {
    /// @notice The key whose signatures the wallet accepts.
    address public immutable owner;

    /// @param owner_ the key whose signatures the wallet accepts
    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice EIP-1271: the magic value when `signature` is `owner`'s signature of `hash`, `0xffffffff` otherwise.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        return ECDSA.recover(hash, signature) == owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";

/// @title SignInCheck
/// @notice Everything a relying party asks the chain about one sign-in, read in one `eth_call` at one block: who
/// signed a hash (ecrecover), whether the identity is deactivated, its owner, and whether the signer is a valid
/// `sigAuth` delegate. Never deployed: run as an `eth_call` without `to`, its constructor returns the answer as
/// `abi.encode(address recovered, bool deactivated, address owner, bool delegated)` instead of code, so it works
/// on any EVM chain and RPC node without a deployment or state overrides.
/// @dev `recovered` is the zero address when `v` is not 27 or 28 or the signature does not recover (a contract
/// wallet's signature, or none given): the caller then checks ERC-1271 / ERC-6492 itself. A reverting registry
/// read reverts the call.
contract SignInCheck {
    /// @notice The delegate type that may sign in for an identity, as ethr-did-resolver's `sigAuth` key.
    bytes32 private constant SIG_AUTH = "sigAuth";

    /// @notice Answers the sign-in reads for `identity` in `registry` and the signer of (`hash`, `v`, `r`, `s`).
    /// @param registry The DIDRegistry.
    /// @param identity The DID's identity address.
    /// @param signer The key that claims to have signed.
    /// @param hash The signed digest (EIP-191 hash of the sign-in message).
    /// @param v The signature's recovery byte (27 or 28; 0 to skip recovery).
    /// @param r The signature's r.
    /// @param s The signature's s.
    constructor(IDIDRegistry registry, address identity, address signer, bytes32 hash, uint8 v, bytes32 r, bytes32 s) {
        address recovered = v == 27 || v == 28 ? ecrecover(hash, v, r, s) : address(0);
        bytes memory answer = abi.encode(
            recovered,
            registry.deactivated(identity),
            registry.identityOwner(identity),
            registry.validDelegate(identity, SIG_AUTH, signer)
        );
        assembly ("memory-safe") {
            return(add(answer, 0x20), mload(answer))
        }
    }
}

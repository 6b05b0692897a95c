// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IDIDRegistry} from "../interfaces/IDIDRegistry.sol";

/// @title SignInCheck
/// @notice Everything a relying party asks the chain about sign-ins, read in one `eth_call` at one block: for each
/// request, who signed a hash (ecrecover), whether the identity is deactivated, its owner, and whether the signer is
/// a valid `sigAuth` delegate. Never deployed: run as an `eth_call` without `to`, its constructor returns the
/// answers as `abi.encode(Answer[])` instead of code, so it works on any EVM chain and RPC node without a deployment
/// or state overrides. Concurrent sign-ins share one call (one request each).
/// @dev `recovered` is the zero address when `v` is not 27 or 28 or the signature does not recover (a contract
/// wallet's signature, or none given): the caller then checks ERC-1271 / ERC-6492 itself. A reverting registry
/// read reverts the call.
contract SignInCheck {
    /// @notice One sign-in to check.
    /// @param identity The DID's identity address.
    /// @param signer The key that claims to have signed.
    /// @param hash The signed digest (EIP-191 hash of the sign-in message).
    /// @param v The signature's recovery byte (27 or 28; 0 to skip recovery).
    /// @param r The signature's r.
    /// @param s The signature's s.
    struct Request {
        address identity;
        address signer;
        bytes32 hash;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice What the chain says about one request.
    /// @param recovered The key that signed `hash`, or the zero address.
    /// @param deactivated Whether the identity is deactivated.
    /// @param owner The identity's owner.
    /// @param delegated Whether the signer is a valid `sigAuth` delegate of the identity.
    struct Answer {
        address recovered;
        bool deactivated;
        address owner;
        bool delegated;
    }

    /// @notice The delegate type that may sign in for an identity, as ethr-did-resolver's `sigAuth` key.
    bytes32 private constant SIG_AUTH = "sigAuth";

    /// @notice Answers the sign-in reads of every request in `registry`, in request order.
    /// @param registry The DIDRegistry.
    /// @param requests The sign-ins to check.
    constructor(IDIDRegistry registry, Request[] memory requests) {
        Answer[] memory answers = new Answer[](requests.length);
        for (uint256 i = 0; i < requests.length; ++i) {
            Request memory q = requests[i];
            answers[i] = Answer({
                recovered: q.v == 27 || q.v == 28 ? ecrecover(q.hash, q.v, q.r, q.s) : address(0),
                deactivated: registry.deactivated(q.identity),
                owner: registry.identityOwner(q.identity),
                delegated: registry.validDelegate(q.identity, SIG_AUTH, q.signer)
            });
        }
        bytes memory answer = abi.encode(answers);
        assembly ("memory-safe") {
            return(add(answer, 0x20), mload(answer))
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {ISignedRequests} from "../interfaces/ISignedRequests.sol";

/// @title SignedRequests
/// @notice The one implementation of deadline, nonce and signature checks for relayed EIP-712 requests
/// (OpenZeppelin EIP712 + Nonces + SignatureChecker). See {ISignedRequests}.
abstract contract SignedRequests is ISignedRequests, EIP712, Nonces {
    /// @inheritdoc ISignedRequests
    function nonces(address authority) public view virtual override(ISignedRequests, Nonces) returns (uint256) {
        return super.nonces(authority);
    }

    /// @dev Checks `deadline`, consumes `authority`'s nonce (which must be `nonce`) and checks that `signature` is
    /// `signer`'s EIP-712 signature of `structHash` under this contract's domain.
    function _useSignedRequest(
        address authority,
        address signer,
        bytes32 structHash,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) internal {
        if (block.timestamp > deadline) revert SignedRequestsDeadlinePassed(deadline);
        uint256 expected = _useNonce(authority);
        if (nonce != expected) revert SignedRequestsInvalidNonce(authority, nonce, expected);
        if (!SignatureChecker.isValidSignatureNow(signer, _hashTypedDataV4(structHash), signature)) {
            revert SignedRequestsInvalidSignature(signer);
        }
    }

    /// @dev Consumes `authority`'s current nonce, invalidating its outstanding signatures; the caller checked
    /// that `msg.sender` may do so.
    function _cancelSignatures(address authority) internal {
        emit SignaturesCancelled(authority, _useNonce(authority) + 1, msg.sender);
    }
}

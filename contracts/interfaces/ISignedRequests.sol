// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title ISignedRequests
/// @notice What every registry that accepts relayed EIP-712 requests shares: one nonce per authority, consumed
/// in order by each signed request and by {SignaturesCancelled}, a deadline on every request, and signatures of
/// plain keys (ECDSA) or contract wallets (EIP-1271).
interface ISignedRequests {
    /// @notice A signed request expired at `deadline`.
    error SignedRequestsDeadlinePassed(uint256 deadline);

    /// @notice `nonce` is not the current nonce `expected` of `authority` (replayed or cancelled).
    error SignedRequestsInvalidNonce(address authority, uint256 nonce, uint256 expected);

    /// @notice The signature is not `signer`'s.
    error SignedRequestsInvalidSignature(address signer);

    /// @notice `actor` invalidated the outstanding signatures of `authority`; its nonce is now `nonce`.
    event SignaturesCancelled(address indexed authority, uint256 nonce, address actor);

    /// @notice Current nonce of `authority`: the one its next signed request must carry.
    function nonces(address authority) external view returns (uint256);
}

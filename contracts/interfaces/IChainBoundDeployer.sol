// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IChainBoundDeployer
/// @notice CREATE2 factory whose addresses depend on the chain id and the caller, so the same deployment
/// lands at different addresses on different chains. ERC-1056 signed messages carry no chain id; a
/// chain-unique registry address is what keeps a signature made for one chain from being replayed on another.
interface IChainBoundDeployer {
    /// @notice `deployed` was created by `deployer` with caller-chosen `salt` on chain `chainId`.
    event ContractDeployed(
        address indexed deployed,
        address indexed deployer,
        bytes32 salt,
        uint256 chainId,
        bytes32 initCodeHash
    );

    /// @notice Deploys `initCode` with CREATE2 under `keccak256(abi.encode(block.chainid, msg.sender, salt))`.
    /// @return deployed the new contract's address
    function deploy(bytes32 salt, bytes calldata initCode) external returns (address deployed);

    /// @notice The address {deploy} would produce for `deployer`, `salt` and `initCodeHash` on this chain.
    function computeAddress(address deployer, bytes32 salt, bytes32 initCodeHash) external view returns (address);
}

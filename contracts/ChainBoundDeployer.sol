// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";

import {IChainBoundDeployer} from "./interfaces/IChainBoundDeployer.sol";

/// @title ChainBoundDeployer
/// @notice See {IChainBoundDeployer}.
contract ChainBoundDeployer is IChainBoundDeployer {
    /// @inheritdoc IChainBoundDeployer
    function deploy(bytes32 salt, bytes calldata initCode) external returns (address deployed) {
        deployed = Create2.deploy(0, _boundSalt(msg.sender, salt), initCode);
        emit ContractDeployed(deployed, msg.sender, salt, block.chainid, keccak256(initCode));
    }

    /// @inheritdoc IChainBoundDeployer
    function computeAddress(address deployer, bytes32 salt, bytes32 initCodeHash) external view returns (address) {
        return Create2.computeAddress(_boundSalt(deployer, salt), initCodeHash);
    }

    function _boundSalt(address deployer, bytes32 salt) private view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, deployer, salt));
    }
}

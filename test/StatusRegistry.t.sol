// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {DIDRegistry} from "../contracts/DIDRegistry.sol";
import {IssuerRegistry} from "../contracts/IssuerRegistry.sol";
import {StatusRegistry} from "../contracts/StatusRegistry.sol";
import {vm} from "./utils/Vm.sol";

/// @notice Property tests of {StatusRegistry}: the documented bit order and isolation of statuses.
contract StatusRegistryTest {
    address private constant ISSUER = address(0x1550E5);
    StatusRegistry private statuses;

    function setUp() public {
        DIDRegistry did = new DIDRegistry();
        statuses = new StatusRegistry(address(new IssuerRegistry(address(this), 3 days, address(did))));
    }

    /// @dev Status i is bit 255 - i % 256 of word i / 256, and setting it touches nothing else.
    function testFuzz_bitOrderRoundTrip(uint256 indexSeed, uint8 purposeSeed) public {
        uint256 index = indexSeed % (1 << 40);
        uint8 purpose = purposeSeed % 2;
        vm.prank(ISSUER);
        statuses.setStatus(ISSUER, purpose, index, true);
        require(statuses.getStatusWord(ISSUER, purpose, index / 256) == 1 << (255 - (index % 256)), "bit position");
        require(statuses.getStatus(ISSUER, purpose, index), "not set");
        require(!statuses.getStatus(ISSUER, 1 - purpose, index), "other purpose touched");
        (bool revoked, bool suspended) = statuses.getStatusBits(ISSUER, index);
        require(revoked == (purpose == 0) && suspended == (purpose == 1), "status bits");
        vm.prank(ISSUER);
        statuses.setStatus(ISSUER, purpose, index, false);
        require(statuses.getStatusWord(ISSUER, purpose, index / 256) == 0, "not cleared");
    }

    /// @dev A batch sets exactly its indices, whatever their order and however they spread over words.
    function testFuzz_batchMatchesSingles(uint16[8] memory seeds, bool value) public {
        uint256[] memory indices = new uint256[](seeds.length);
        for (uint256 i; i < seeds.length; ++i) indices[i] = seeds[i] % 1024;
        if (!value) {
            vm.prank(ISSUER);
            statuses.setStatusWord(ISSUER, 0, 0, type(uint256).max);
            for (uint256 w = 1; w < 4; ++w) {
                vm.prank(ISSUER);
                statuses.setStatusWord(ISSUER, 0, w, type(uint256).max);
            }
        }
        vm.prank(ISSUER);
        statuses.setStatuses(ISSUER, 0, indices, value);
        for (uint256 index; index < 1024; ++index) {
            bool listed;
            for (uint256 i; i < indices.length; ++i) listed = listed || indices[i] == index;
            require(statuses.getStatus(ISSUER, 0, index) == (listed ? value : !value), "batch result");
        }
    }
}

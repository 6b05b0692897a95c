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
        // This contract stands in for the attestation registry so it can allocate directly.
        statuses.setAttestationRegistry(address(this));
        statuses.allocate(ISSUER, 1 << 20);
    }

    /// @dev Status i is bit 255 - i % 256 of word i / 256, and setting it touches nothing else.
    function testFuzz_bitOrderRoundTrip(uint256 indexSeed, uint8 purposeSeed) public {
        uint256 index = indexSeed % (1 << 20);
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

    /// @dev Allocation counts up and never hands out an index twice.
    function testFuzz_allocationNeverReuses(uint16 first, uint16 second) public {
        uint256 a = statuses.allocate(ISSUER, first);
        uint256 b = statuses.allocate(ISSUER, second);
        require(b == a + first, "overlap");
        require(statuses.allocated(ISSUER) == b + second, "count");
    }
}

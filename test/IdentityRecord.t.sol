// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IdentityRecord, IdentityRecordLibrary} from "../contracts/libraries/IdentityRecord.sol";

contract IdentityRecordTest {
    function testFuzz_packRoundTrips(address owner, uint64 changed, bool deactivated) public pure {
        IdentityRecord record = IdentityRecordLibrary.pack(owner, changed, deactivated);
        require(record.owner() == owner, "owner");
        require(record.changed() == changed, "changed");
        require(record.deactivated() == deactivated, "deactivated");
        require(IdentityRecord.unwrap(record) >> 225 == 0, "high bits must stay zero");
    }

    function testFuzz_withChangedKeepsOtherFields(
        address owner,
        uint64 changed,
        bool deactivated,
        uint64 next
    ) public pure {
        IdentityRecord record = IdentityRecordLibrary.pack(owner, changed, deactivated).withChanged(next);
        require(record.owner() == owner, "owner");
        require(record.changed() == next, "changed");
        require(record.deactivated() == deactivated, "deactivated");
    }

    function testFuzz_withRecoveryKeepsOtherFields(
        address owner,
        uint64 changed,
        bool deactivated,
        bool recovery
    ) public pure {
        IdentityRecord record = IdentityRecordLibrary.pack(owner, changed, deactivated).withRecovery(recovery);
        require(record.hasRecovery() == recovery, "recovery");
        require(record.owner() == owner, "owner");
        require(record.changed() == changed, "changed");
        require(record.deactivated() == deactivated, "deactivated");
        require(record.withChanged(uint256(changed) + 1).hasRecovery() == recovery, "withChanged drops recovery");
        require(!IdentityRecordLibrary.pack(owner, changed, deactivated).hasRecovery(), "pack sets recovery");
        require(IdentityRecord.unwrap(record) >> 226 == 0, "high bits must stay zero");
    }
}

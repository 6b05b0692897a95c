// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {DIDRegistry} from "../contracts/DIDRegistry.sol";
import {IssuerRegistry} from "../contracts/IssuerRegistry.sol";
import {IIssuerRegistry} from "../contracts/interfaces/IIssuerRegistry.sol";
import {IStatusRegistry} from "../contracts/interfaces/IStatusRegistry.sol";
import {StatusRegistry} from "../contracts/StatusRegistry.sol";
import {vm} from "./utils/Vm.sol";

/// @notice Property tests of {StatusRegistry}: the documented bit order, isolation of statuses, final revocation
/// and suspensions lifted only by an active issuer.
contract StatusRegistryTest {
    address private constant ISSUER = address(0x1550E5);
    IssuerRegistry private issuers;
    StatusRegistry private statuses;

    function setUp() public {
        DIDRegistry did = new DIDRegistry();
        issuers = new IssuerRegistry(address(this), 3 days, address(did));
        statuses = new StatusRegistry(address(issuers));
        issuers.accredit(ISSUER, 3, "Issuer", "");
    }

    /// @dev Status i is bit 127 - i % 128 of word i / 128 of its list, and setting it touches no other list.
    function testFuzz_bitOrderRoundTrip(uint256 indexSeed, uint8 purposeSeed) public {
        uint8 purpose = purposeSeed % 4;
        uint256 index = indexSeed % (purpose < 2 ? 1 << 40 : 131072);
        _set(purpose, index, true);
        require(statuses.getStatusWord(ISSUER, purpose, index / 128) == 1 << (127 - (index % 128)), "bit position");
        require(statuses.getStatus(ISSUER, purpose, index), "not set");
        for (uint8 other; other < 4; ++other) {
            if (other == purpose || (other >= 2 && index >= 131072)) continue;
            require(!statuses.getStatus(ISSUER, other, index), "other list touched");
        }
        if (purpose < 2) {
            (bool revoked, bool suspended) = statuses.getStatusBits(ISSUER, index);
            require(revoked == (purpose == 0) && suspended == (purpose == 1), "status bits");
        }
        if (purpose % 2 == 0) {
            vm.expectRevert(
                abi.encodeWithSelector(IStatusRegistry.StatusRegistryRevocationFinal.selector, ISSUER, purpose, index)
            );
        }
        _set(purpose, index, false);
        require(statuses.getStatus(ISSUER, purpose, index) == (purpose % 2 == 0), "suspension lifted, revocation kept");
    }

    /// @dev A batch sets exactly its indices, whatever their order and however they spread over words.
    function testFuzz_batchMatchesSingles(uint16[8] memory seeds, bool value) public {
        uint8 purpose = 1;
        uint256[] memory indices = new uint256[](seeds.length);
        for (uint256 i; i < seeds.length; ++i) indices[i] = seeds[i] % 1024;
        if (!value) {
            for (uint256 w; w < 8; ++w) {
                vm.prank(ISSUER);
                statuses.setStatusWord(ISSUER, purpose, w, type(uint128).max);
            }
        }
        vm.prank(ISSUER);
        statuses.setStatuses(ISSUER, purpose, indices, value);
        for (uint256 index; index < 1024; ++index) {
            bool listed;
            for (uint256 i; i < indices.length; ++i) listed = listed || indices[i] == index;
            require(statuses.getStatus(ISSUER, purpose, index) == (listed ? value : !value), "batch result");
        }
    }

    /// @dev No write path clears a set revocation bit: single, batch, word or signed-free word rewrite.
    function testFuzz_revocationIsFinal(uint256 indexSeed, uint128 word, bool credential) public {
        uint8 purpose = credential ? 2 : 0;
        uint256 index = indexSeed % 131072;
        _set(purpose, index, true);
        uint128 bit = uint128(1) << uint8(127 - (index % 128));
        uint256[] memory indices = new uint256[](1);
        indices[0] = index;
        bytes memory refusal = abi.encodeWithSelector(
            IStatusRegistry.StatusRegistryRevocationFinal.selector,
            ISSUER,
            purpose,
            index
        );
        vm.expectRevert(refusal);
        vm.prank(ISSUER);
        statuses.setStatuses(ISSUER, purpose, indices, false);
        if (word & bit == 0) {
            vm.expectRevert();
            vm.prank(ISSUER);
            statuses.setStatusWord(ISSUER, purpose, index / 128, word);
        } else {
            vm.prank(ISSUER);
            statuses.setStatusWord(ISSUER, purpose, index / 128, word);
        }
        require(statuses.getStatus(ISSUER, purpose, index), "revocation cleared");
    }

    /// @dev A suspended or removed issuer may still revoke and suspend but never lift a suspension.
    function testFuzz_onlyActiveIssuerLiftsSuspension(uint256 indexSeed, bool removeIt) public {
        uint256 index = indexSeed % (1 << 40);
        _set(1, index, true);
        if (removeIt) issuers.remove(ISSUER, "");
        else issuers.suspend(ISSUER, "");
        IIssuerRegistry.IssuerStatus status =
            removeIt ? IIssuerRegistry.IssuerStatus.Removed : IIssuerRegistry.IssuerStatus.Suspended;
        vm.expectRevert(abi.encodeWithSelector(IStatusRegistry.StatusRegistryIssuerNotActive.selector, ISSUER, status));
        _set(1, index, false);
        _set(0, index, true);
        require(statuses.getStatus(ISSUER, 0, index) && statuses.getStatus(ISSUER, 1, index), "still writable");
        if (removeIt) return;
        issuers.reinstate(ISSUER);
        _set(1, index, false);
        require(!statuses.getStatus(ISSUER, 1, index), "lifted after reinstatement");
    }

    /// @dev Each issuer's four lists are apart: a word written anywhere in one list (its event naming that word)
    /// reads back there only, and an index beyond the attestation lists has no status bits, even one whose word
    /// number agrees with the written word's in the low 95 bits of a storage key.
    function testFuzz_issuersAndListsApart(address other, uint256 wordSeed, uint8 purposeSeed, uint256 beyond) public {
        vm.assume(other != ISSUER);
        uint8 purpose = purposeSeed % 4;
        uint256 wordIndex = wordSeed % (_length(purpose) / 128);
        vm.expectEmit(true, true, true, true);
        emit IStatusRegistry.StatusWordChanged(ISSUER, purpose, wordIndex, type(uint128).max, ISSUER);
        vm.prank(ISSUER);
        statuses.setStatusWord(ISSUER, purpose, wordIndex, type(uint128).max);
        for (uint8 list; list < 4; ++list) {
            if (wordIndex >= _length(list) / 128) continue;
            uint128 expected = list == purpose ? type(uint128).max : 0;
            require(statuses.getStatusWord(ISSUER, list, wordIndex) == expected, "lists apart");
            require(statuses.getStatusWord(other, list, wordIndex) == 0, "issuers apart");
        }
        uint256[2] memory outside = [beyond | (1 << 40), wordIndex * 128 + (1 << 135)];
        for (uint256 i; i < outside.length; ++i) {
            (bool revoked, bool suspended) = statuses.getStatusBits(ISSUER, outside[i]);
            require(!revoked && !suspended, "status beyond the list");
        }
    }

    function _length(uint8 purpose) private pure returns (uint256) {
        return purpose < 2 ? 1 << 40 : 131072;
    }

    function _set(uint8 purpose, uint256 index, bool value) private {
        vm.prank(ISSUER);
        statuses.setStatus(ISSUER, purpose, index, value);
    }
}

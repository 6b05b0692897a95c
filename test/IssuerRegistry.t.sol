// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {DIDRegistry} from "../contracts/DIDRegistry.sol";
import {IssuerRegistry} from "../contracts/IssuerRegistry.sol";
import {IIssuerRegistry} from "../contracts/interfaces/IIssuerRegistry.sol";
import {IRealNameRegistry} from "../contracts/interfaces/IRealNameRegistry.sol";
import {RealNameRegistry} from "../contracts/RealNameRegistry.sol";
import {StatusRegistry} from "../contracts/StatusRegistry.sol";
import {vm} from "./utils/Vm.sol";

/// @notice Property tests of {IssuerRegistry}: assurance-level bounds, and suspension and removal stopping every
/// issuance path of the RealNameRegistry and every existing attestation.
contract IssuerRegistryTest {
    uint256 private constant ISSUER_KEY = uint256(keccak256("realdid.test.issuer"));
    address private constant IDENTITY = address(0xD1D);
    uint256 private constant PATHS = 6;

    address private issuer;
    DIDRegistry private did;
    IssuerRegistry private issuers;
    RealNameRegistry private registry;

    function setUp() public {
        vm.warp(1_700_000_000);
        issuer = vm.addr(ISSUER_KEY);
        did = new DIDRegistry();
        issuers = new IssuerRegistry(address(this), 3 days, address(did));
        StatusRegistry statuses = new StatusRegistry(address(issuers));
        registry = new RealNameRegistry(address(did), address(issuers), address(statuses));
    }

    /// @dev Accreditation and updates accept exactly the levels 1..MAX_LEVEL and store them.
    function testFuzz_maxLevelBounds(uint8 maxLevel, uint8 updated) public {
        bool valid = maxLevel >= 1 && maxLevel <= 3;
        if (!valid) vm.expectRevert(_invalidLevel(maxLevel));
        issuers.accredit(issuer, maxLevel, "Issuer", "");
        if (!valid) return;
        require(issuers.getIssuer(issuer).maxLevel == maxLevel, "max level stored");
        bool updateValid = updated >= 1 && updated <= 3;
        if (!updateValid) vm.expectRevert(_invalidLevel(updated));
        issuers.updateIssuer(issuer, updated, "Issuer", "");
        require(issuers.getIssuer(issuer).maxLevel == (updateValid ? updated : maxLevel), "max level after update");
    }

    /// @dev Issuance is allowed exactly for levels 1..maxLevel, with the first failing check reported.
    function testFuzz_issuanceLevelWithinMax(uint8 maxSeed, uint8 level) public {
        uint8 maxLevel = uint8(1 + (maxSeed % 3));
        issuers.accredit(issuer, maxLevel, "Issuer", "");
        if (level == 0 || level > 3) {
            vm.expectRevert(_invalidLevel(level));
        } else if (level > maxLevel) {
            vm.expectRevert(
                abi.encodeWithSelector(IIssuerRegistry.IssuerRegistryLevelAboveMax.selector, issuer, level, maxLevel)
            );
        }
        issuers.checkIssuance(issuer, issuer, level, uint40(block.timestamp + 365 days));
    }

    /// @dev Lowering an issuer's maximum stops exactly its attestations above the new maximum.
    function testFuzz_loweredMaxLevelStopsAttestationsAbove(uint8 levelSeed, uint8 newMaxSeed) public {
        uint8 level = uint8(1 + (levelSeed % 3));
        uint8 newMax = uint8(1 + (newMaxSeed % 3));
        issuers.accredit(issuer, 3, "Issuer", "");
        vm.prank(issuer);
        registry.attest(issuer, _data(level));
        issuers.updateIssuer(issuer, newMax, "Issuer", "");
        IRealNameRegistry.Reason reason = registry.getVerification(IDENTITY, 0).reason;
        if (level <= newMax) require(reason == IRealNameRegistry.Reason.Verified, "still verified");
        else require(reason == IRealNameRegistry.Reason.IssuerLevelExceeded, "stopped above the maximum");
    }

    /// @dev A suspended or removed issuer can use no issuance path, and its existing attestation stops verifying;
    /// reinstating a suspended issuer restores both, removal is final.
    function testFuzz_suspensionAndRemovalStopEveryPath(uint8 pathSeed, bool removeIt) public {
        uint256 path = pathSeed % PATHS;
        issuers.accredit(issuer, 3, "Issuer", "");
        vm.prank(issuer);
        registry.attest(issuer, _data(2));
        (bytes32 root, IRealNameRegistry.MerkleLeaf memory leaf) = _anchorOneLeaf();
        (uint256 deadline, bytes memory signature) = _signAttestation();

        if (removeIt) issuers.remove(issuer, "fraud");
        else issuers.suspend(issuer, "audit");
        bytes memory refusal =
            removeIt
                ? abi.encodeWithSelector(IIssuerRegistry.IssuerRegistryNotAnIssuer.selector, issuer)
                : abi.encodeWithSelector(IIssuerRegistry.IssuerRegistryIssuerSuspended.selector, issuer);
        IRealNameRegistry.Reason stopped =
            removeIt ? IRealNameRegistry.Reason.IssuerNotAccredited : IRealNameRegistry.Reason.IssuerSuspended;

        require(registry.getVerification(IDENTITY, 0).reason == stopped, "existing attestation still verifies");
        vm.expectRevert(refusal);
        _issue(path, root, leaf, deadline, signature);

        if (removeIt) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IIssuerRegistry.IssuerRegistryInvalidStatus.selector,
                    issuer,
                    IIssuerRegistry.IssuerStatus.Removed
                )
            );
            issuers.reinstate(issuer);
            return;
        }
        issuers.reinstate(issuer);
        require(registry.isVerified(IDENTITY, 2), "reinstated issuer's attestation");
        _issue(path, root, leaf, deadline, signature);
    }

    /// @dev Issues through `path` (0 attest, 1 attestBatch, 2 attestBySig, 3 anchorRoot, 4 claim, 5 reconfirm).
    /// The signed path relays `signature`, made for the issuer's first nonce (a refused attempt consumes none).
    function _issue(
        uint256 path,
        bytes32 root,
        IRealNameRegistry.MerkleLeaf memory leaf,
        uint256 deadline,
        bytes memory signature
    ) private {
        if (path == 0) {
            vm.prank(issuer);
            registry.attest(issuer, _data(2));
        } else if (path == 1) {
            address[] memory identities = new address[](1);
            bytes32[] memory commitments = new bytes32[](1);
            (identities[0], commitments[0]) = (IDENTITY, keccak256("batch"));
            vm.prank(issuer);
            registry.attestBatch(
                issuer,
                2,
                uint40(block.timestamp + 365 days),
                0,
                identities,
                identities,
                commitments,
                new bytes32[](0)
            );
        } else if (path == 2) {
            registry.attestBySig(issuer, issuer, _data(2), 0, deadline, signature);
        } else if (path == 3) {
            // Status indices 0 and 1 went to the first attestation and the one-leaf root.
            vm.prank(issuer);
            registry.anchorRoot(issuer, keccak256(abi.encode("root", block.timestamp)), 2, _expiry(), 2, 10, "");
        } else if (path == 4) {
            registry.claim(issuer, root, leaf, new bytes32[](0));
        } else {
            vm.prank(issuer);
            registry.reconfirm(IDENTITY, IDENTITY);
        }
    }

    /// @dev Anchors a one-leaf tree (its root is the leaf hash) for a second identity, unclaimed.
    function _anchorOneLeaf() private returns (bytes32 root, IRealNameRegistry.MerkleLeaf memory leaf) {
        address identity = address(0xD1E);
        uint256 statusIndex = registry.statusCount(issuer);
        leaf = IRealNameRegistry.MerkleLeaf(statusIndex, identity, identity, keccak256("leaf"), bytes32(0), bytes32(0));
        uint40 expiry = uint40(block.timestamp + 365 days);
        root = keccak256(
            bytes.concat(keccak256(abi.encode(block.chainid, address(registry), issuer, uint8(2), expiry, leaf)))
        );
        vm.prank(issuer);
        registry.anchorRoot(issuer, root, 2, expiry, statusIndex, 1, "");
    }

    /// @dev The issuer's signature of `_data(2)` for its first nonce, and its deadline.
    function _signAttestation() private view returns (uint256 deadline, bytes memory signature) {
        deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(registry.ATTESTATION_TYPEHASH(), issuer, issuer, _data(2), 0, deadline)
        );
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("RealDID RealNameRegistry"),
                keccak256("2"),
                block.chainid,
                address(registry)
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            ISSUER_KEY,
            MessageHashUtils.toTypedDataHash(domainSeparator, structHash)
        );
        signature = abi.encodePacked(r, s, v);
    }

    function _data(uint8 level) private view returns (IRealNameRegistry.AttestationData memory) {
        return
            IRealNameRegistry.AttestationData(
                IDENTITY,
                IDENTITY,
                level,
                uint40(block.timestamp + 365 days),
                keccak256(abi.encode(level)),
                bytes32(0),
                bytes32(0)
            );
    }

    function _expiry() private view returns (uint40) {
        return uint40(block.timestamp + 365 days);
    }

    function _invalidLevel(uint8 level) private pure returns (bytes memory) {
        return abi.encodeWithSelector(IIssuerRegistry.IssuerRegistryInvalidLevel.selector, level);
    }
}

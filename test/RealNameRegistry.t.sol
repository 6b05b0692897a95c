// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {DIDRegistry} from "../contracts/DIDRegistry.sol";
import {IssuerRegistry} from "../contracts/IssuerRegistry.sol";
import {IIssuerRegistry} from "../contracts/interfaces/IIssuerRegistry.sol";
import {IRealNameRegistry} from "../contracts/interfaces/IRealNameRegistry.sol";
import {ISignedRequests} from "../contracts/interfaces/ISignedRequests.sol";
import {RealNameRegistry} from "../contracts/RealNameRegistry.sol";
import {AttestationHead, AttestationHeadLibrary} from "../contracts/libraries/AttestationHead.sol";
import {StatusRegistry} from "../contracts/StatusRegistry.sol";
import {ERC1271WalletMock} from "../contracts/mocks/ERC1271WalletMock.sol";
import {bound} from "./utils/Bound.sol";
import {vm} from "./utils/Vm.sol";

/// @dev The whole trust stack, wired as in production, with this contract as admin and deployer.
contract TrustStack {
    DIDRegistry internal did;
    IssuerRegistry internal issuers;
    StatusRegistry internal statuses;
    RealNameRegistry internal registry;

    function _deployStack() internal {
        did = new DIDRegistry();
        issuers = new IssuerRegistry(address(this), 3 days, address(did));
        statuses = new StatusRegistry(address(issuers));
        registry = new RealNameRegistry(address(did), address(issuers), address(statuses));
    }
}

/// @notice Property tests of {RealNameRegistry}: packing round trip and contract-wallet signatures.
contract RealNameRegistryTest is TrustStack {
    address private constant ISSUER = address(0x1550E5);

    function setUp() public {
        vm.warp(1_700_000_000);
        _deployStack();
        issuers.accredit(ISSUER, 3, "Issuer", "");
    }

    /// @dev The packed head returns every field as packed, and replacing the flags touches nothing else.
    function testFuzz_headPackRoundTrip(
        address issuer,
        uint40 expiry,
        uint40 statusIndex,
        uint8 level,
        uint8 flags,
        uint8 newFlags
    ) public pure {
        AttestationHead head = AttestationHeadLibrary.pack(issuer, expiry, statusIndex, level, flags);
        require(head.issuer() == issuer && head.expiry() == expiry, "issuer or expiry");
        require(head.statusIndex() == statusIndex && head.level() == level && head.flags() == flags, "fields");
        AttestationHead updated = head.withFlags(newFlags);
        require(
            AttestationHead.unwrap(updated) ==
                AttestationHead.unwrap(AttestationHeadLibrary.pack(issuer, expiry, statusIndex, level, newFlags)),
            "withFlags"
        );
    }

    /// @dev Every field of an attestation reads back as written, and {Attested} carries each in its place, for
    /// self-owned and other-owned DIDs.
    function testFuzz_attestationRoundTrip(
        address identity,
        address owner,
        uint8 levelSeed,
        uint40 expirySeed,
        bytes32 commitment,
        bytes32 scope,
        bytes32 nullifier,
        bool otherOwner
    ) public {
        vm.assume(identity != address(0) && owner != address(0));
        if (!otherOwner) owner = identity;
        uint8 level = uint8(bound(levelSeed, 1, 3));
        uint40 expiry = uint40(bound(expirySeed, block.timestamp + 1, block.timestamp + 3650 days));
        if (scope == bytes32(0) || nullifier == bytes32(0)) (scope, nullifier) = (bytes32(0), bytes32(0));
        if (owner != identity) {
            vm.prank(identity);
            did.changeOwner(identity, owner);
        }
        vm.assume(commitment != bytes32(0));
        IRealNameRegistry.AttestationData memory data = IRealNameRegistry.AttestationData(
            identity,
            owner,
            level,
            expiry,
            commitment,
            scope,
            nullifier
        );
        _expectAttested(data, registry.statusCount(ISSUER));
        vm.prank(ISSUER);
        uint256 statusIndex = registry.attest(ISSUER, data);

        IRealNameRegistry.Verification memory record = registry.getVerification(identity, level);
        require(record.reason == IRealNameRegistry.Reason.Verified, "not verified");
        require(record.issuer == ISSUER, "issuer");
        require(record.level == level, "level");
        require(record.expiry == expiry, "expiry");
        require(record.statusIndex == statusIndex, "status index");
        require(record.owner == owner, "owner");
        require(record.commitment == commitment, "commitment");
        require(record.scope == scope && record.nullifier == nullifier, "scope");
        require(!record.disclosed, "disclosed");
    }

    /// @dev An issuer that is an EIP-1271 contract wallet attests through a relayed signature.
    function test_attestBySigFromContractWallet() public {
        uint256 key = uint256(keccak256("realdid.test.wallet-owner"));
        ERC1271WalletMock wallet = new ERC1271WalletMock(vm.addr(key));
        issuers.accredit(address(wallet), 2, "Wallet issuer", "");
        address identity = address(0xC0FFEE);
        IRealNameRegistry.AttestationData memory data = IRealNameRegistry.AttestationData(
            identity,
            identity,
            2,
            uint40(block.timestamp + 365 days),
            keccak256("commitment"),
            bytes32(0),
            bytes32(0)
        );
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(registry.ATTESTATION_TYPEHASH(), address(wallet), address(wallet), data, 0, deadline)
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, _digest(structHash));
        registry.attestBySig(address(wallet), address(wallet), data, 0, deadline, abi.encodePacked(r, s, v));
        require(registry.isVerified(identity, 2), "not verified");
        require(registry.nonces(address(wallet)) == 1, "nonce not consumed");
    }

    /// @dev A contract wallet's signature that its owner key did not make is refused.
    function test_attestBySigFromContractWalletRejectsForeignKey() public {
        ERC1271WalletMock wallet = new ERC1271WalletMock(vm.addr(uint256(keccak256("realdid.test.wallet-owner"))));
        issuers.accredit(address(wallet), 2, "Wallet issuer", "");
        IRealNameRegistry.AttestationData memory data = IRealNameRegistry.AttestationData(
            address(0xC0FFEE),
            address(0xC0FFEE),
            2,
            uint40(block.timestamp + 365 days),
            keccak256("commitment"),
            bytes32(0),
            bytes32(0)
        );
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(registry.ATTESTATION_TYPEHASH(), address(wallet), address(wallet), data, 0, deadline)
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(uint256(keccak256("someone else")), _digest(structHash));
        vm.expectRevert(
            abi.encodeWithSelector(ISignedRequests.SignedRequestsInvalidSignature.selector, address(wallet))
        );
        registry.attestBySig(address(wallet), address(wallet), data, 0, deadline, abi.encodePacked(r, s, v));
    }

    /// @dev Expects the next call to emit {Attested} for `data`, directly attested by the issuer at `statusIndex`.
    function _expectAttested(IRealNameRegistry.AttestationData memory data, uint256 statusIndex) private {
        vm.expectEmit(true, true, true, true);
        emit IRealNameRegistry.Attested(
            data.identity,
            ISSUER,
            ISSUER,
            data.level,
            data.expiry,
            statusIndex,
            data.commitment,
            data.owner,
            data.scope,
            data.nullifier,
            IRealNameRegistry.IssuancePath.Direct
        );
    }

    function _digest(bytes32 structHash) private view returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("RealDID RealNameRegistry"),
                keccak256("2"),
                block.chainid,
                address(registry)
            )
        );
        return MessageHashUtils.toTypedDataHash(domainSeparator, structHash);
    }
}

/// @notice Drives the trust stack at random: issuance, status changes, issuer governance, DID changes, time.
contract TrustHandler {
    DIDRegistry public immutable did;
    IssuerRegistry public immutable issuers;
    StatusRegistry public immutable statuses;
    RealNameRegistry public immutable registry;

    address[3] private _issuers = [address(0x15501), address(0x15502), address(0x15503)];
    address[4] private _identities = [address(0x1D1), address(0x1D2), address(0x1D3), address(0x1D4)];

    constructor(DIDRegistry did_, IssuerRegistry issuers_, StatusRegistry statuses_, RealNameRegistry registry_) {
        (did, issuers, statuses, registry) = (did_, issuers_, statuses_, registry_);
    }

    function identities() external view returns (address[4] memory) {
        return _identities;
    }

    /// @dev Every (issuer, index) whose revocation bit was ever set.
    uint256[] private _revoked;

    function revokedCount() external view returns (uint256) {
        return _revoked.length;
    }

    function revokedAt(uint256 i) external view returns (address issuer, uint256 index) {
        uint256 entry = _revoked[i];
        return (address(uint160(entry >> 96)), entry & type(uint96).max);
    }

    function attest(uint256 issuerSeed, uint256 identitySeed, uint8 levelSeed, uint32 lifetime) external {
        address issuer = _issuers[issuerSeed % 3];
        address identity = _identities[identitySeed % 4];
        address owner = did.identityOwner(identity);
        if (owner == address(0)) return;
        IRealNameRegistry.AttestationData memory data = IRealNameRegistry.AttestationData(
            identity,
            owner,
            uint8(bound(levelSeed, 1, 3)),
            uint40(block.timestamp + bound(lifetime, 1, 400 days)),
            keccak256(abi.encode(identitySeed, "commitment")),
            bytes32(0),
            bytes32(0)
        );
        vm.prank(issuer);
        try registry.attest(issuer, data) {} catch {}
    }

    function setStatus(uint256 issuerSeed, uint8 purpose, uint256 indexSeed, bool value) external {
        address issuer = _issuers[issuerSeed % 3];
        uint256 count = registry.statusCount(issuer);
        if (count == 0) return;
        uint256 index = indexSeed % count;
        vm.prank(issuer);
        try statuses.setStatus(issuer, purpose % 2, index, value) {
            if (purpose % 2 == 0 && value) _revoked.push((uint256(uint160(issuer)) << 96) | index);
        } catch {}
    }

    function govern(uint256 issuerSeed, uint8 action, uint8 levelSeed) external {
        address issuer = _issuers[issuerSeed % 3];
        uint8 choice = action % 5;
        if (choice == 0) try issuers.accredit(issuer, uint8(bound(levelSeed, 1, 3)), "", "") {} catch {}
        else if (choice == 1) try issuers.suspend(issuer, "") {} catch {}
        else if (choice == 2) try issuers.reinstate(issuer) {} catch {}
        else if (choice == 3) try issuers.updateIssuer(issuer, uint8(bound(levelSeed, 1, 3)), "", "") {} catch {}
        else try issuers.remove(issuer, "") {} catch {}
    }

    function changeOwner(uint256 identitySeed, uint256 newOwnerSeed, bool deactivate) external {
        address identity = _identities[identitySeed % 4];
        address owner = did.identityOwner(identity);
        if (owner == address(0)) return;
        address newOwner = deactivate ? address(0) : address(uint160(bound(newOwnerSeed, 1, 3)) + 0xA0);
        vm.prank(owner);
        did.changeOwner(identity, newOwner);
    }

    function reconfirm(uint256 identitySeed) external {
        address identity = _identities[identitySeed % 4];
        address issuer = registry.getVerification(identity, 0).issuer;
        vm.prank(issuer);
        try registry.reconfirm(identity, did.identityOwner(identity)) {} catch {}
    }

    function warp(uint32 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 60 days));
    }
}

/// @notice Invariant: isVerified implies every condition the trust model promises, read from the sources.
contract RealNameRegistryInvariantTest is TrustStack {
    TrustHandler private handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        _deployStack();
        handler = new TrustHandler(did, issuers, statuses, registry);
        issuers.grantRole(issuers.GOVERNOR_ROLE(), address(handler));
    }

    /// @dev Foundry-compatible hook: the fuzzer calls only the handler.
    function targetContracts() external view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function invariant_verifiedImpliesTrusted() external view {
        address[4] memory identities = handler.identities();
        for (uint256 i; i < identities.length; ++i) {
            address identity = identities[i];
            for (uint8 minLevel = 1; minLevel <= 3; ++minLevel) {
                if (!registry.isVerified(identity, minLevel)) continue;
                IRealNameRegistry.Verification memory record = registry.getVerification(identity, minLevel);
                IIssuerRegistry.Issuer memory issuer = issuers.getIssuer(record.issuer);
                require(issuer.status == IIssuerRegistry.IssuerStatus.Active, "issuer not active");
                require(record.level <= issuer.maxLevel, "level above issuer maximum");
                require(record.level >= minLevel, "level not met");
                require(record.expiry > block.timestamp, "expired");
                require(!statuses.getStatus(record.issuer, 0, record.statusIndex), "revoked");
                require(!statuses.getStatus(record.issuer, 1, record.statusIndex), "suspended");
                require(!did.deactivated(identity), "DID deactivated");
                require(did.identityOwner(identity) == record.owner, "owner changed");
            }
        }
    }

    /// @dev Revocation is final: every bit ever set is still set.
    function invariant_revocationsNeverCleared() external view {
        for (uint256 i; i < handler.revokedCount(); ++i) {
            (address issuer, uint256 index) = handler.revokedAt(i);
            require(statuses.getStatus(issuer, 0, index), "revocation cleared");
        }
    }

    function invariant_statusIndicesNeverReused() external view {
        address[4] memory identities = handler.identities();
        for (uint256 i; i < identities.length; ++i) {
            IRealNameRegistry.Verification memory a = registry.getVerification(identities[i], 0);
            if (a.issuer == address(0)) continue;
            require(a.statusIndex < registry.statusCount(a.issuer), "index not allocated");
            for (uint256 j = i + 1; j < identities.length; ++j) {
                IRealNameRegistry.Verification memory b = registry.getVerification(identities[j], 0);
                require(a.issuer != b.issuer || a.statusIndex != b.statusIndex, "index shared");
            }
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {DIDRegistry} from "../contracts/DIDRegistry.sol";
import {IDIDRegistry} from "../contracts/interfaces/IDIDRegistry.sol";
import {bound} from "./utils/Bound.sol";
import {vm} from "./utils/Vm.sol";

/// @dev secp256k1 group order: private keys live in [1, N - 1], low-s signatures have s <= N / 2.
uint256 constant SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;

/// @dev The reference ERC-1056 digest: keccak256(0x19 0x00 registry nonce[owner] identity "<fn>" args...).
function erc1056Digest(DIDRegistry registry, address identity, bytes memory payload) view returns (bytes32) {
    address owner = registry.identityOwner(identity);
    return
        keccak256(
            abi.encodePacked(bytes1(0x19), bytes1(0), address(registry), registry.nonce(owner), identity, payload)
        );
}

/// @dev Maps any fuzzed seed onto a valid secp256k1 private key.
function toPrivateKey(uint256 seed) pure returns (uint256) {
    return 1 + (seed % (SECP256K1_N - 1));
}

/// @notice Property and gas tests of {DIDRegistry}.
contract DIDRegistryTest {
    struct Signature {
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    bytes32 private constant VERI_KEY = "veriKey";
    bytes32 private constant SERVICE = "did/svc/HubService";
    uint256 private constant MAX_VALIDITY = 100 * 365 days;

    DIDRegistry private registry;
    /// @dev A second deployment: signatures for `registry` must not work on it.
    DIDRegistry private otherRegistry;
    address private identity;
    uint256 private identityKey;
    address private constant OWNER = address(0xA11CE);
    address private constant DELEGATE = address(0xDE1E6A7E);
    address private constant GUARDIAN = address(0x6A4D);
    address private constant NEW_KEY = address(0x4E3);

    function setUp() public {
        registry = new DIDRegistry();
        otherRegistry = new DIDRegistry();
        identityKey = toPrivateKey(uint256(keccak256("realdid.test.identity")));
        identity = vm.addr(identityKey);
        vm.warp(1_700_000_000);
        vm.roll(100);
    }

    // ---------------------------------------------------------------- gas snapshot: one write per test

    function test_changeOwner_first() public {
        vm.prank(identity);
        registry.changeOwner(identity, OWNER);
        require(registry.identityOwner(identity) == OWNER, "owner not recorded");
    }

    function test_changeOwner_again() public {
        vm.prank(identity);
        registry.changeOwner(identity, OWNER);
        vm.roll(block.number + 1);
        vm.prank(OWNER);
        registry.changeOwner(identity, DELEGATE);
        require(registry.identityOwner(identity) == DELEGATE, "owner not recorded");
    }

    function test_deactivate() public {
        vm.prank(identity);
        registry.changeOwner(identity, address(0));
        require(registry.deactivated(identity) && registry.identityOwner(identity) == address(0), "not deactivated");
    }

    function test_addDelegate() public {
        vm.prank(identity);
        registry.addDelegate(identity, VERI_KEY, DELEGATE, 1 days);
        require(registry.validDelegate(identity, VERI_KEY, DELEGATE), "delegate not valid");
    }

    function test_revokeDelegate() public {
        vm.prank(identity);
        registry.addDelegate(identity, VERI_KEY, DELEGATE, 1 days);
        vm.prank(identity);
        registry.revokeDelegate(identity, VERI_KEY, DELEGATE);
        require(!registry.validDelegate(identity, VERI_KEY, DELEGATE), "delegate still valid");
    }

    function test_setAttribute() public {
        vm.expectEmit(true, true, true, true);
        emit IDIDRegistry.DIDAttributeChanged(identity, SERVICE, "https://hub.example", block.timestamp + 1 days, 0);
        vm.prank(identity);
        registry.setAttribute(identity, SERVICE, "https://hub.example", 1 days);
        require(registry.changed(identity) == block.number, "change not stamped");
    }

    function test_changeOwnerSigned() public {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(identityKey, _digest(abi.encodePacked("changeOwner", OWNER)));
        registry.changeOwnerSigned(identity, v, r, s, OWNER);
        require(registry.identityOwner(identity) == OWNER && registry.nonce(identity) == 1, "signed change lost");
    }

    function test_addDelegateSigned() public {
        bytes memory payload = abi.encodePacked("addDelegate", VERI_KEY, DELEGATE, uint256(1 days));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(identityKey, _digest(payload));
        registry.addDelegateSigned(identity, v, r, s, VERI_KEY, DELEGATE, 1 days);
        require(registry.validDelegate(identity, VERI_KEY, DELEGATE), "delegate not valid");
    }

    function test_setRecovery() public {
        vm.prank(identity);
        registry.setRecovery(identity, GUARDIAN, 7 days);
        (address recovery, , , ) = registry.recoveryOf(identity);
        require(recovery == GUARDIAN, "recovery not recorded");
    }

    function test_startRecovery() public {
        vm.prank(identity);
        registry.setRecovery(identity, GUARDIAN, 7 days);
        vm.prank(GUARDIAN);
        registry.startRecovery(identity, NEW_KEY);
        (, , address pendingOwner, ) = registry.recoveryOf(identity);
        require(pendingOwner == NEW_KEY, "recovery not started");
    }

    function test_completeRecovery() public {
        vm.prank(identity);
        registry.setRecovery(identity, GUARDIAN, 7 days);
        vm.prank(GUARDIAN);
        registry.startRecovery(identity, NEW_KEY);
        vm.warp(block.timestamp + 7 days);
        registry.completeRecovery(identity);
        require(registry.identityOwner(identity) == NEW_KEY, "owner not recovered");
    }

    /// @dev An owner change of an identity with a recovery address also clears it.
    function test_changeOwner_withRecovery() public {
        vm.prank(identity);
        registry.setRecovery(identity, GUARDIAN, 7 days);
        vm.prank(identity);
        registry.changeOwner(identity, OWNER);
        (address recovery, , , ) = registry.recoveryOf(identity);
        require(registry.identityOwner(identity) == OWNER && recovery == address(0), "recovery kept");
    }

    // ---------------------------------------------------------------- edge cases

    /// @dev `address(0)` can never act (no key, no caller), so it reads as owner-less without being deactivated:
    /// "identityOwner == 0 iff deactivated" holds for every identity but this one.
    function test_zeroIdentity_isOwnerlessButNeverDeactivated() public view {
        require(registry.identityOwner(address(0)) == address(0), "zero identity has an owner");
        require(!registry.deactivated(address(0)), "zero identity deactivated");
    }

    // ---------------------------------------------------------------- fuzz

    /// @dev Any chain of owners in separate blocks: each link carries the previous block, only the last owner acts.
    function testFuzz_changeOwner_chain(address[4] memory owners, uint8 gap) public {
        address current = identity;
        uint256 previousChange;
        for (uint256 i; i < owners.length; ++i) {
            vm.assume(owners[i] != address(0) && owners[i] != current);
            vm.roll(block.number + 1 + gap);
            vm.expectEmit(true, true, true, true);
            emit IDIDRegistry.DIDOwnerChanged(identity, owners[i], previousChange);
            vm.prank(current);
            registry.changeOwner(identity, owners[i]);

            vm.expectRevert(
                abi.encodeWithSelector(IDIDRegistry.DIDRegistryUnauthorizedActor.selector, identity, current, owners[i])
            );
            vm.prank(current);
            registry.changeOwner(identity, current);

            current = owners[i];
            previousChange = block.number;
            require(registry.identityOwner(identity) == current, "owner mismatch");
            require(registry.owners(identity) == current, "owners mismatch");
            require(registry.changed(identity) == block.number, "changed mismatch");
        }
    }

    /// @dev A delegate is valid exactly while `block.timestamp < addedAt + validity`.
    function testFuzz_delegateValidity(uint256 validity, uint256 elapsed, bytes32 delegateType) public {
        validity = bound(validity, 0, MAX_VALIDITY);
        elapsed = bound(elapsed, 0, 2 * MAX_VALIDITY);
        uint256 addedAt = block.timestamp;
        vm.prank(identity);
        registry.addDelegate(identity, delegateType, DELEGATE, validity);
        require(
            registry.delegates(identity, keccak256(abi.encode(delegateType)), DELEGATE) == addedAt + validity,
            "validTo mismatch"
        );

        vm.warp(addedAt + elapsed);
        require(registry.validDelegate(identity, delegateType, DELEGATE) == (elapsed < validity), "validity mismatch");

        vm.prank(identity);
        registry.revokeDelegate(identity, delegateType, DELEGATE);
        require(!registry.validDelegate(identity, delegateType, DELEGATE), "revoked delegate valid");
    }

    /// @dev Any key signs for its own address; the signature works once, and only on this registry.
    function testFuzz_changeOwnerSigned(uint256 keySeed, address newOwner) public {
        vm.assume(newOwner != address(0));
        uint256 key = toPrivateKey(keySeed);
        address signer = vm.addr(key);
        vm.assume(newOwner != signer);
        bytes memory payload = abi.encodePacked("changeOwner", newOwner);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, erc1056Digest(registry, signer, payload));

        vm.expectRevert(
            abi.encodeWithSelector(
                IDIDRegistry.DIDRegistryUnauthorizedActor.selector,
                signer,
                ecrecover(erc1056Digest(otherRegistry, signer, payload), v, r, s),
                signer
            )
        );
        otherRegistry.changeOwnerSigned(signer, v, r, s, newOwner);

        registry.changeOwnerSigned(signer, v, r, s, newOwner);
        require(registry.identityOwner(signer) == newOwner, "owner not changed");
        require(registry.nonce(signer) == 1, "nonce not consumed");

        vm.expectRevert(
            abi.encodeWithSelector(
                IDIDRegistry.DIDRegistryUnauthorizedActor.selector,
                signer,
                ecrecover(erc1056Digest(registry, signer, payload), v, r, s),
                newOwner
            )
        );
        registry.changeOwnerSigned(signer, v, r, s, newOwner);
    }

    /// @dev A signature by any key but the owner's is rejected with the recovered signer named.
    function testFuzz_addDelegateSigned_byOtherKey(uint256 otherSeed, uint256 validity) public {
        uint256 otherKey = toPrivateKey(otherSeed);
        vm.assume(otherKey != identityKey);
        validity = bound(validity, 0, MAX_VALIDITY);
        bytes memory payload = abi.encodePacked("addDelegate", VERI_KEY, DELEGATE, validity);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(otherKey, _digest(payload));
        vm.expectRevert(
            abi.encodeWithSelector(
                IDIDRegistry.DIDRegistryUnauthorizedActor.selector,
                identity,
                vm.addr(otherKey),
                identity
            )
        );
        registry.addDelegateSigned(identity, v, r, s, VERI_KEY, DELEGATE, validity);
    }

    /// @dev The malleable twin (N - s, flipped v) of any valid signature is rejected before recovery.
    function testFuzz_setAttributeSigned_highS(uint256 keySeed, bytes memory value) public {
        uint256 key = toPrivateKey(keySeed);
        address signer = vm.addr(key);
        bytes32 digest = erc1056Digest(
            registry,
            signer,
            abi.encodePacked("setAttribute", SERVICE, value, uint256(1 days))
        );
        Signature memory signature = _sign(key, digest);
        Signature memory twin = Signature(
            signature.v == 27 ? 28 : 27,
            signature.r,
            bytes32(SECP256K1_N - uint256(signature.s))
        );
        require(ecrecover(digest, twin.v, twin.r, twin.s) == signer, "twin does not recover");

        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, twin.s));
        registry.setAttributeSigned(signer, twin.v, twin.r, twin.s, SERVICE, value, 1 days);
        registry.setAttributeSigned(signer, signature.v, signature.r, signature.s, SERVICE, value, 1 days);
        require(registry.nonce(signer) == 1, "nonce not consumed");
    }

    /// @dev After deactivation nothing changes the identity, whoever calls.
    function testFuzz_deactivation_isFinal(address caller, address newOwner) public {
        vm.prank(identity);
        registry.changeOwner(identity, address(0));
        bytes memory deactivated = abi.encodeWithSelector(
            IDIDRegistry.DIDRegistryIdentityDeactivated.selector,
            identity
        );
        vm.expectRevert(deactivated);
        vm.prank(caller);
        registry.changeOwner(identity, newOwner);
        vm.expectRevert(deactivated);
        vm.prank(caller);
        registry.addDelegate(identity, VERI_KEY, DELEGATE, 1 days);
        require(registry.identityOwner(identity) == address(0) && registry.deactivated(identity), "revived");
    }

    /// @dev A recovery completes from `readyAt` = start + delay on, whoever calls and however late, and never
    /// `early` seconds before it.
    function testFuzz_completeRecovery_neverBeforeReadyAt(
        uint256 delay,
        uint256 early,
        uint256 late,
        address caller
    ) public {
        delay = bound(delay, registry.MIN_RECOVERY_DELAY(), registry.MAX_RECOVERY_DELAY());
        early = bound(early, 1, delay);
        late = bound(late, 0, 10 * 365 days);
        vm.prank(identity);
        registry.setRecovery(identity, GUARDIAN, delay);
        vm.prank(GUARDIAN);
        registry.startRecovery(identity, NEW_KEY);
        uint256 readyAt = block.timestamp + delay;
        (, , , uint256 recordedReadyAt) = registry.recoveryOf(identity);
        require(recordedReadyAt == readyAt, "readyAt mismatch");

        vm.warp(readyAt - early);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDIDRegistry.DIDRegistryRecoveryNotReady.selector,
                identity,
                readyAt,
                readyAt - early
            )
        );
        vm.prank(caller);
        registry.completeRecovery(identity);

        vm.warp(readyAt + late);
        vm.prank(caller);
        registry.completeRecovery(identity);
        require(registry.identityOwner(identity) == NEW_KEY, "owner not recovered");
    }

    /// @dev Only delays in [MIN_RECOVERY_DELAY, MAX_RECOVERY_DELAY] are accepted.
    function testFuzz_setRecovery_delayBounds(uint256 delay) public {
        uint256 min = registry.MIN_RECOVERY_DELAY();
        uint256 max = registry.MAX_RECOVERY_DELAY();
        if (delay < min || delay > max) {
            vm.expectRevert(
                abi.encodeWithSelector(IDIDRegistry.DIDRegistryInvalidRecoveryDelay.selector, delay, min, max)
            );
        }
        vm.prank(identity);
        registry.setRecovery(identity, GUARDIAN, delay);
        (address recovery, uint256 recordedDelay, , ) = registry.recoveryOf(identity);
        bool accepted = delay >= min && delay <= max;
        require(recovery == (accepted ? GUARDIAN : address(0)), "recovery mismatch");
        require(recordedDelay == (accepted ? delay : 0), "delay mismatch");
    }

    function _digest(bytes memory payload) private view returns (bytes32) {
        return erc1056Digest(registry, identity, payload);
    }

    function _sign(uint256 key, bytes32 digest) private pure returns (Signature memory signature) {
        (signature.v, signature.r, signature.s) = vm.sign(key, digest);
    }
}

/// @notice Drives a {DIDRegistry} through random owner changes, delegate changes, deactivations and time, on a
/// few identities and actors, while keeping a model of what must hold.
contract DIDRegistryHandler {
    DIDRegistry public immutable registry;
    address[] private _identities;
    address[] private _actors;
    bytes32[2] private _delegateTypes = [bytes32("veriKey"), bytes32("sigAuth")];

    mapping(address identity => bool) public modelDeactivated;
    mapping(address identity => address) public modelOwner;
    mapping(address identity => address) public modelRecovery;
    mapping(address identity => uint256) public modelDelay;
    mapping(address identity => address) public modelPendingOwner;
    mapping(address identity => uint256) public modelReadyAt;
    /// @dev Set if a recovery ever completed before its readyAt.
    bool public completedEarly;
    /// @dev Set if a write for a deactivated identity, or by someone other than the owner, ever succeeded.
    bool public forbiddenWriteSucceeded;
    /// @dev Set if the owner of an active identity was ever refused.
    bool public ownerWriteFailed;

    constructor(DIDRegistry registry_) {
        registry = registry_;
        for (uint160 i = 1; i <= 3; ++i) {
            address identity = address(0x1D00 + i);
            _identities.push(identity);
            modelOwner[identity] = identity;
        }
        for (uint160 i = 1; i <= 4; ++i) _actors.push(address(0xAC00 + i));
    }

    function identities() external view returns (address[] memory) {
        return _identities;
    }

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    function delegateTypes() external view returns (bytes32[2] memory) {
        return _delegateTypes;
    }

    function changeOwner(uint256 identitySeed, uint256 actorSeed) external {
        address identity = _identity(identitySeed);
        address newOwner = _actor(actorSeed);
        if (_write(identity, modelOwner[identity], abi.encodeCall(DIDRegistry.changeOwner, (identity, newOwner)))) {
            _modelOwnerChange(identity, newOwner);
        }
    }

    function deactivate(uint256 identitySeed) external {
        address identity = _identity(identitySeed);
        if (_write(identity, modelOwner[identity], abi.encodeCall(DIDRegistry.changeOwner, (identity, address(0))))) {
            _modelOwnerChange(identity, address(0));
            modelDeactivated[identity] = true;
        }
    }

    function addDelegate(uint256 identitySeed, uint256 delegateSeed, uint256 typeSeed, uint256 validity) external {
        address identity = _identity(identitySeed);
        bytes memory call = abi.encodeCall(
            DIDRegistry.addDelegate,
            (identity, _delegateTypes[typeSeed % 2], _actor(delegateSeed), bound(validity, 0, 30 days))
        );
        _write(identity, modelOwner[identity], call);
    }

    function revokeDelegate(uint256 identitySeed, uint256 delegateSeed, uint256 typeSeed) external {
        address identity = _identity(identitySeed);
        bytes memory call = abi.encodeCall(
            DIDRegistry.revokeDelegate,
            (identity, _delegateTypes[typeSeed % 2], _actor(delegateSeed))
        );
        _write(identity, modelOwner[identity], call);
    }

    /// @dev Someone who is not the owner tries to take over; it must never work.
    function changeOwnerByStranger(uint256 identitySeed, uint256 actorSeed) external {
        address identity = _identity(identitySeed);
        address stranger = _actor(actorSeed);
        if (stranger == modelOwner[identity]) return;
        _write(identity, stranger, abi.encodeCall(DIDRegistry.changeOwner, (identity, stranger)));
    }

    function setRecovery(uint256 identitySeed, uint256 recoverySeed, uint256 delay) external {
        address identity = _identity(identitySeed);
        address recovery = _actor(recoverySeed);
        delay = bound(delay, 1 days, 3 days);
        bytes memory call = abi.encodeCall(DIDRegistry.setRecovery, (identity, recovery, delay));
        if (_write(identity, modelOwner[identity], call)) {
            modelRecovery[identity] = recovery;
            modelDelay[identity] = delay;
            _modelCancel(identity);
        }
    }

    /// @dev Anyone (the recovery address or not) starts a recovery; only the recovery address may.
    function startRecovery(uint256 identitySeed, uint256 callerSeed, uint256 newOwnerSeed) external {
        address identity = _identity(identitySeed);
        address caller = _actor(callerSeed);
        address newOwner = _actor(newOwnerSeed);
        bool allowed = !modelDeactivated[identity] && caller == modelRecovery[identity];
        vm.prank(caller);
        (bool succeeded, ) = address(registry).call(abi.encodeCall(DIDRegistry.startRecovery, (identity, newOwner)));
        _check(allowed, succeeded);
        if (succeeded) {
            modelPendingOwner[identity] = newOwner;
            modelReadyAt[identity] = block.timestamp + modelDelay[identity];
        }
    }

    function cancelRecovery(uint256 identitySeed, uint256 callerSeed) external {
        address identity = _identity(identitySeed);
        address caller = callerSeed % 2 == 0 ? modelOwner[identity] : _actor(callerSeed);
        bool allowed = !modelDeactivated[identity] && caller == modelOwner[identity] && modelReadyAt[identity] != 0;
        vm.prank(caller);
        (bool succeeded, ) = address(registry).call(abi.encodeCall(DIDRegistry.cancelRecovery, (identity)));
        _check(allowed, succeeded);
        if (succeeded) _modelCancel(identity);
    }

    /// @dev Anyone completes; it must work exactly when a recovery is pending and its readyAt has come.
    function completeRecovery(uint256 identitySeed, uint256 callerSeed) external {
        _completeRecovery(_identity(identitySeed), callerSeed);
    }

    /// @dev Moves time (never backwards) to one second before, at, or one second after a pending recovery's
    /// readyAt, then anyone completes: the boundary random time steps would rarely hit.
    function completeRecoveryAtReadyAt(uint256 identitySeed, uint256 offsetSeed, uint256 callerSeed) external {
        address identity = _identity(identitySeed);
        uint256 readyAt = modelReadyAt[identity];
        if (readyAt != 0 && readyAt - 1 + (offsetSeed % 3) > block.timestamp) vm.warp(readyAt - 1 + (offsetSeed % 3));
        _completeRecovery(identity, callerSeed);
    }

    function _completeRecovery(address identity, uint256 callerSeed) private {
        uint256 readyAt = modelReadyAt[identity];
        bool allowed = !modelDeactivated[identity] && readyAt != 0 && block.timestamp >= readyAt;
        vm.prank(_actor(callerSeed));
        (bool succeeded, ) = address(registry).call(abi.encodeCall(DIDRegistry.completeRecovery, (identity)));
        if (succeeded && (readyAt == 0 || block.timestamp < readyAt)) completedEarly = true;
        _check(allowed, succeeded);
        if (succeeded) _modelOwnerChange(identity, modelPendingOwner[identity]);
    }

    function advance(uint256 blocks, uint256 seconds_) external {
        vm.roll(block.number + bound(blocks, 1, 1000));
        vm.warp(block.timestamp + bound(seconds_, 1, 7 days));
    }

    /// @dev Calls the registry as `sender`; a success is forbidden for a deactivated identity or a non-owner.
    function _write(address identity, address sender, bytes memory call) private returns (bool succeeded) {
        bool allowed = !modelDeactivated[identity] && sender == modelOwner[identity];
        vm.prank(sender);
        (succeeded, ) = address(registry).call(call);
        _check(allowed, succeeded);
    }

    function _check(bool allowed, bool succeeded) private {
        if (succeeded && !allowed) forbiddenWriteSucceeded = true;
        if (allowed && !succeeded) ownerWriteFailed = true;
    }

    /// @dev Every owner change (by the owner, by recovery, deactivation) ends the recovery designation.
    function _modelOwnerChange(address identity, address newOwner) private {
        modelOwner[identity] = newOwner;
        modelRecovery[identity] = address(0);
        modelDelay[identity] = 0;
        _modelCancel(identity);
    }

    function _modelCancel(address identity) private {
        modelPendingOwner[identity] = address(0);
        modelReadyAt[identity] = 0;
    }

    function _identity(uint256 seed) private view returns (address) {
        return _identities[seed % _identities.length];
    }

    function _actor(uint256 seed) private view returns (address) {
        return _actors[seed % _actors.length];
    }
}

/// @notice Invariants of {DIDRegistry} under random use through {DIDRegistryHandler}.
contract DIDRegistryInvariantTest {
    DIDRegistry private registry;
    DIDRegistryHandler private handler;

    function setUp() public {
        registry = new DIDRegistry();
        handler = new DIDRegistryHandler(registry);
    }

    /// @dev Foundry-compatible hook: the fuzzer calls only the handler.
    function targetContracts() external view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function invariant_onlyOwnersWriteAndDeactivationIsPermanent() external view {
        require(!handler.forbiddenWriteSucceeded(), "forbidden write succeeded");
        require(!handler.ownerWriteFailed(), "owner write failed");
        address[] memory identities = handler.identities();
        for (uint256 i; i < identities.length; ++i) {
            if (handler.modelDeactivated(identities[i])) require(registry.deactivated(identities[i]), "revived");
        }
    }

    function invariant_ownerZeroIffDeactivated() external view {
        address[] memory identities = handler.identities();
        for (uint256 i; i < identities.length; ++i) {
            address identity = identities[i];
            bool deactivated = registry.deactivated(identity);
            require((registry.identityOwner(identity) == address(0)) == deactivated, "owner/deactivation mismatch");
            require(registry.identityOwner(identity) == handler.modelOwner(identity), "owner differs from model");
            require(deactivated == handler.modelDeactivated(identity), "deactivation differs from model");
        }
    }

    function invariant_recoveryMatchesModelAndNeverCompletesEarly() external view {
        require(!handler.completedEarly(), "recovery completed before readyAt");
        address[] memory identities = handler.identities();
        for (uint256 i; i < identities.length; ++i) {
            address identity = identities[i];
            (address recovery, uint256 delay, address pendingOwner, uint256 readyAt) = registry.recoveryOf(identity);
            require(recovery == handler.modelRecovery(identity), "recovery differs from model");
            require(delay == handler.modelDelay(identity), "delay differs from model");
            require(pendingOwner == handler.modelPendingOwner(identity), "pending owner differs from model");
            require(readyAt == handler.modelReadyAt(identity), "readyAt differs from model");
            require(readyAt == 0 || recovery != address(0), "pending without a recovery address");
        }
    }

    function invariant_changedIsNotInTheFuture() external view {
        address[] memory identities = handler.identities();
        for (uint256 i; i < identities.length; ++i) {
            require(registry.changed(identities[i]) <= block.number, "change in the future");
        }
    }

    function invariant_deactivatedIdentityHasNoValidDelegate() external view {
        address[] memory identities = handler.identities();
        address[] memory actors = handler.actors();
        bytes32[2] memory delegateTypes = handler.delegateTypes();
        for (uint256 i; i < identities.length; ++i) {
            if (!registry.deactivated(identities[i])) continue;
            for (uint256 j; j < actors.length; ++j) {
                for (uint256 k; k < delegateTypes.length; ++k) {
                    require(!registry.validDelegate(identities[i], delegateTypes[k], actors[j]), "valid delegate");
                }
            }
        }
    }
}

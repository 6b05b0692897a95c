// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

import {IDIDRegistry} from "./interfaces/IDIDRegistry.sol";
import {IIssuerRegistry} from "./interfaces/IIssuerRegistry.sol";

/// @title IssuerRegistry
/// @notice The trust list of accredited real-name issuers. See {IIssuerRegistry}.
/// @dev Storage: one slot per issuer, `| maxLifetime (40) | updatedAt (40) | accreditedAt (40) | maxLevel (8) |
/// status (8) |`, written whole by {_setIssuer}, so the issuance check of every attestation costs one storage read
/// here (plus a DIDRegistry read when a delegate acts) and a verifier's {issuerStanding} one.
contract IssuerRegistry is IIssuerRegistry, AccessControlDefaultAdminRules {
    /// @inheritdoc IIssuerRegistry
    bytes32 public constant GOVERNOR_ROLE = keccak256("GOVERNOR_ROLE");

    /// @inheritdoc IIssuerRegistry
    bytes32 public constant VERI_KEY = bytes32("veriKey");

    /// @inheritdoc IIssuerRegistry
    uint8 public constant MAX_LEVEL = 3;

    /// @inheritdoc IIssuerRegistry
    uint40 public constant DEFAULT_MAX_LIFETIME = 3650 days;

    /// @inheritdoc IIssuerRegistry
    uint40 public constant MAX_LIFETIME = 18250 days;

    IDIDRegistry private immutable _didRegistry;

    mapping(address issuer => Issuer) private _issuers;

    /// @param admin default admin (also the first governor); handing it over waits `adminDelay` seconds
    /// @param didRegistry_ the DIDRegistry whose `veriKey` delegates act for issuers
    constructor(
        address admin,
        uint48 adminDelay,
        address didRegistry_
    ) AccessControlDefaultAdminRules(adminDelay, admin) {
        if (didRegistry_ == address(0)) revert IssuerRegistryZeroAddress();
        _didRegistry = IDIDRegistry(didRegistry_);
        _grantRole(GOVERNOR_ROLE, admin);
    }

    /// @inheritdoc IIssuerRegistry
    function didRegistry() external view returns (address) {
        return address(_didRegistry);
    }

    /// @inheritdoc IIssuerRegistry
    function version() external pure returns (string memory) {
        return "2.0.0";
    }

    /// @inheritdoc IIssuerRegistry
    function accredit(
        address issuer,
        uint8 maxLevel,
        string calldata name,
        string calldata uri
    ) external onlyRole(GOVERNOR_ROLE) {
        if (issuer == address(0)) revert IssuerRegistryZeroAddress();
        _requireLevel(maxLevel);
        IssuerStatus status = _issuers[issuer].status;
        if (status != IssuerStatus.None) revert IssuerRegistryAlreadyAccredited(issuer, status);
        _setIssuer(issuer, Issuer(IssuerStatus.Active, maxLevel, uint40(block.timestamp), 0, DEFAULT_MAX_LIFETIME));
        emit IssuerAccredited(issuer, maxLevel, name, uri);
        emit IssuerMaxLifetimeSet(issuer, DEFAULT_MAX_LIFETIME);
    }

    /// @inheritdoc IIssuerRegistry
    function updateIssuer(
        address issuer,
        uint8 maxLevel,
        string calldata name,
        string calldata uri
    ) external onlyRole(GOVERNOR_ROLE) {
        _requireLevel(maxLevel);
        Issuer memory record = _requireStatus(issuer, IssuerStatus.Active, IssuerStatus.Suspended);
        record.maxLevel = maxLevel;
        _setIssuer(issuer, record);
        emit IssuerUpdated(issuer, maxLevel, name, uri);
    }

    /// @inheritdoc IIssuerRegistry
    function setMaxLifetime(address issuer, uint40 maxLifetime) external onlyRole(GOVERNOR_ROLE) {
        if (maxLifetime == 0 || maxLifetime > MAX_LIFETIME) revert IssuerRegistryInvalidLifetime(maxLifetime);
        Issuer memory record = _requireStatus(issuer, IssuerStatus.Active, IssuerStatus.Suspended);
        record.maxLifetime = maxLifetime;
        _setIssuer(issuer, record);
        emit IssuerMaxLifetimeSet(issuer, maxLifetime);
    }

    /// @inheritdoc IIssuerRegistry
    function suspend(address issuer, string calldata reason) external onlyRole(GOVERNOR_ROLE) {
        Issuer memory record = _requireStatus(issuer, IssuerStatus.Active, IssuerStatus.Active);
        record.status = IssuerStatus.Suspended;
        _setIssuer(issuer, record);
        emit IssuerSuspended(issuer, reason);
    }

    /// @inheritdoc IIssuerRegistry
    function reinstate(address issuer) external onlyRole(GOVERNOR_ROLE) {
        Issuer memory record = _requireStatus(issuer, IssuerStatus.Suspended, IssuerStatus.Suspended);
        record.status = IssuerStatus.Active;
        _setIssuer(issuer, record);
        emit IssuerReinstated(issuer);
    }

    /// @inheritdoc IIssuerRegistry
    function remove(address issuer, string calldata reason) external onlyRole(GOVERNOR_ROLE) {
        Issuer memory record = _requireStatus(issuer, IssuerStatus.Active, IssuerStatus.Suspended);
        record.status = IssuerStatus.Removed;
        _setIssuer(issuer, record);
        emit IssuerRemoved(issuer, reason);
    }

    /// @inheritdoc IIssuerRegistry
    function getIssuer(address issuer) external view returns (Issuer memory) {
        return _issuers[issuer];
    }

    /// @inheritdoc IIssuerRegistry
    function issuerStanding(address issuer) external view returns (IssuerStatus status, uint8 maxLevel) {
        Issuer storage record = _issuers[issuer];
        return (record.status, record.maxLevel);
    }

    /// @inheritdoc IIssuerRegistry
    function isAuthorizedActor(address issuer, address actor) public view returns (bool) {
        return actor == issuer || _didRegistry.validDelegate(issuer, VERI_KEY, actor);
    }

    /// @inheritdoc IIssuerRegistry
    function checkIssuance(address issuer, address actor, uint8 level, uint40 expiry) external view {
        _requireLevel(level);
        // The three fields read together, before any branch: one storage read and no copy of the record to memory.
        Issuer storage record = _issuers[issuer];
        (IssuerStatus status, uint8 maxLevel, uint40 maxLifetime) = (
            record.status,
            record.maxLevel,
            record.maxLifetime
        );
        if (status == IssuerStatus.Suspended) revert IssuerRegistryIssuerSuspended(issuer);
        if (status != IssuerStatus.Active) revert IssuerRegistryNotAnIssuer(issuer);
        if (level > maxLevel) revert IssuerRegistryLevelAboveMax(issuer, level, maxLevel);
        if (expiry <= block.timestamp) revert IssuerRegistryExpired(expiry);
        // No overflow: a timestamp plus at most 2^40 seconds.
        uint256 maxExpiry;
        unchecked {
            maxExpiry = block.timestamp + maxLifetime;
        }
        if (expiry > maxExpiry) revert IssuerRegistryLifetimeTooLong(issuer, expiry, maxExpiry);
        if (!isAuthorizedActor(issuer, actor)) revert IssuerRegistryUnauthorizedActor(issuer, actor);
    }

    /// @dev Reverts unless `level` is an assurance level.
    function _requireLevel(uint8 level) private pure {
        if (level == 0 || level > MAX_LEVEL) revert IssuerRegistryInvalidLevel(level);
    }

    /// @dev The record of `issuer`, which must be in state `allowed` or `alsoAllowed`.
    function _requireStatus(
        address issuer,
        IssuerStatus allowed,
        IssuerStatus alsoAllowed
    ) private view returns (Issuer memory record) {
        record = _issuers[issuer];
        IssuerStatus status = record.status;
        if (status != allowed && status != alsoAllowed) revert IssuerRegistryInvalidStatus(issuer, status);
    }

    /// @dev The only writer of issuer records: stores `record` whole (one slot), stamped with the time of change.
    function _setIssuer(address issuer, Issuer memory record) private {
        record.updatedAt = uint40(block.timestamp);
        _issuers[issuer] = record;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IIssuerRegistry
/// @notice The trust list of RealDID: which issuers (real-name authorities such as a public-security bureau, or
/// accredited verifiers) may attest that a DID belongs to a verified person, and up to which assurance level.
///
/// Assurance levels, from weakest to strongest:
///  - 1: contact-verified (a phone number or e-mail address under the person's control was checked);
///  - 2: identity document checked (an official identity document was presented and checked);
///  - 3: in-person or biometric check against the national identity database.
///
/// Governance: holders of {GOVERNOR_ROLE} accredit, update, suspend, reinstate and remove issuers; the default
/// admin (OpenZeppelin AccessControlDefaultAdminRules) grants and revokes roles and can only be handed over with
/// a delay. An issuer's name and URI live in events only.
///
/// An issuer acts through its own address or through any currently valid `veriKey` delegate of its DID in the
/// DIDRegistry, so it rotates operational keys there without re-accreditation. `sigAuth` delegates (and any
/// other delegate type) cannot act for an issuer.
/// @custom:invariant removal is final: a removed issuer never becomes active again.
interface IIssuerRegistry {
    /// @notice Life cycle of an issuer. `None`: never accredited.
    enum IssuerStatus {
        None,
        Active,
        Suspended,
        Removed
    }

    /// @notice One issuer's record, one storage slot.
    /// @param status life-cycle state
    /// @param maxLevel highest assurance level (1..3) the issuer may attest
    /// @param accreditedAt unix time of accreditation
    /// @param updatedAt unix time of the last change (accreditation, update, suspension, reinstatement, removal,
    /// lifetime)
    /// @param maxLifetime longest time, in seconds, from an attestation's issuance to its expiry
    struct Issuer {
        IssuerStatus status;
        uint8 maxLevel;
        uint40 accreditedAt;
        uint40 updatedAt;
        uint40 maxLifetime;
    }

    /// @notice `issuer` is not accredited (never was, or was removed).
    error IssuerRegistryNotAnIssuer(address issuer);

    /// @notice `issuer` is accredited but currently suspended.
    error IssuerRegistryIssuerSuspended(address issuer);

    /// @notice `issuer` was already accredited once (active, suspended or removed); removal is final.
    error IssuerRegistryAlreadyAccredited(address issuer, IssuerStatus status);

    /// @notice The requested change does not apply to an issuer in state `status` (e.g. reinstating an active one).
    error IssuerRegistryInvalidStatus(address issuer, IssuerStatus status);

    /// @notice `level` is not an assurance level (valid: 1..{MAX_LEVEL}).
    error IssuerRegistryInvalidLevel(uint8 level);

    /// @notice `issuer` may attest up to `maxLevel` only, `level` was requested.
    error IssuerRegistryLevelAboveMax(address issuer, uint8 level, uint8 maxLevel);

    /// @notice `actor` is neither `issuer` nor a valid `veriKey` delegate of `issuer`.
    error IssuerRegistryUnauthorizedActor(address issuer, address actor);

    /// @notice The zero address was given where an account is required.
    error IssuerRegistryZeroAddress();

    /// @notice `expiry` is not in the future.
    error IssuerRegistryExpired(uint256 expiry);

    /// @notice `expiry` is later than `maxExpiry`, the end of `issuer`'s maximum attestation lifetime from now.
    error IssuerRegistryLifetimeTooLong(address issuer, uint256 expiry, uint256 maxExpiry);

    /// @notice `maxLifetime` is zero or above {MAX_LIFETIME}.
    error IssuerRegistryInvalidLifetime(uint256 maxLifetime);

    /// @notice `issuer` was accredited to attest up to `maxLevel`.
    /// @param name human-readable name of the issuer
    /// @param uri where the issuer publishes its policy and contact details
    event IssuerAccredited(address indexed issuer, uint8 maxLevel, string name, string uri);

    /// @notice `issuer`'s maximum level or metadata changed.
    event IssuerUpdated(address indexed issuer, uint8 maxLevel, string name, string uri);

    /// @notice `issuer` was suspended: its attestations stop verifying and it cannot issue until reinstated.
    event IssuerSuspended(address indexed issuer, string reason);

    /// @notice `issuer` was reinstated after a suspension.
    event IssuerReinstated(address indexed issuer);

    /// @notice `issuer` was removed for good: its attestations never verify again.
    event IssuerRemoved(address indexed issuer, string reason);

    /// @notice `issuer`'s attestations may now last at most `maxLifetime` seconds (emitted at accreditation too).
    event IssuerMaxLifetimeSet(address indexed issuer, uint40 maxLifetime);

    /// @notice Role allowed to accredit, update, suspend, reinstate and remove issuers.
    function GOVERNOR_ROLE() external view returns (bytes32);

    /// @notice The DIDRegistry delegate type that may act for an issuer: "veriKey" right-padded to 32 bytes.
    function VERI_KEY() external view returns (bytes32);

    /// @notice Highest assurance level (3).
    function MAX_LEVEL() external view returns (uint8);

    /// @notice Maximum attestation lifetime given to an issuer at accreditation: ten years (3,650 days).
    function DEFAULT_MAX_LIFETIME() external view returns (uint40);

    /// @notice Largest maximum lifetime governance may set: fifty years (18,250 days).
    function MAX_LIFETIME() external view returns (uint40);

    /// @notice The DIDRegistry whose `veriKey` delegates may act for issuers.
    function didRegistry() external view returns (address);

    /// @notice Semantic version of this registry.
    function version() external view returns (string memory);

    /// @notice Accredits `issuer` to attest up to `maxLevel`, with {DEFAULT_MAX_LIFETIME}. Governor only.
    /// @dev Reverts with {IssuerRegistryAlreadyAccredited} if `issuer` was ever accredited, even if removed.
    function accredit(address issuer, uint8 maxLevel, string calldata name, string calldata uri) external;

    /// @notice Changes an active or suspended issuer's maximum level and metadata. Governor only.
    /// @dev Lowering `maxLevel` makes existing attestations above it stop verifying at once.
    function updateIssuer(address issuer, uint8 maxLevel, string calldata name, string calldata uri) external;

    /// @notice Suspends an active issuer. Governor only.
    function suspend(address issuer, string calldata reason) external;

    /// @notice Reinstates a suspended issuer. Governor only.
    function reinstate(address issuer) external;

    /// @notice Removes an active or suspended issuer for good. Governor only.
    function remove(address issuer, string calldata reason) external;

    /// @notice Sets how long `issuer`'s attestations may last, in seconds (1..{MAX_LIFETIME}); applies to issuance
    /// from now on. Active or suspended issuers. Governor only.
    function setMaxLifetime(address issuer, uint40 maxLifetime) external;

    /// @notice The record of `issuer` (all zero if never accredited).
    function getIssuer(address issuer) external view returns (Issuer memory);

    /// @notice What a verifier needs of `issuer`, in one storage read: its state and maximum level.
    function issuerStanding(address issuer) external view returns (IssuerStatus status, uint8 maxLevel);

    /// @notice Whether `actor` may act for `issuer`: it is `issuer` itself or a valid `veriKey` delegate of
    /// `issuer`'s DID. Says nothing about accreditation.
    function isAuthorizedActor(address issuer, address actor) external view returns (bool);

    /// @notice Reverts unless `issuer` is active, `level` is within its maximum, `expiry` is in the future and
    /// within the issuer's maximum lifetime from now, and `actor` may act for it. Every issuance path of the
    /// RealNameRegistry goes through this check.
    /// @dev Reverts with {IssuerRegistryInvalidLevel}, {IssuerRegistryNotAnIssuer},
    /// {IssuerRegistryIssuerSuspended}, {IssuerRegistryLevelAboveMax}, {IssuerRegistryExpired},
    /// {IssuerRegistryLifetimeTooLong} or {IssuerRegistryUnauthorizedActor}.
    function checkIssuance(address issuer, address actor, uint8 level, uint40 expiry) external view;
}

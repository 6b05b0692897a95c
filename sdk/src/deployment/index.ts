/**
 * Deployment checks for operators: a deployment's runtime code against the build (immutables and metadata handled)
 * and its wiring, admin, governors and admin delay against its Ignition parameters.
 *
 * @example
 * import { verifyDeployment, expectationsFromParameters } from "@realdid/sdk/deployment";
 * const rows = await verifyDeployment(provider, deployment, { artifacts, expected: expectationsFromParameters(params) });
 */
export {
  compareRuntimeCode,
  normalizeCode,
  splitMetadata,
  type BuildArtifact,
  type CodeComparison,
  type CodeSummary,
  type NormalizedCode,
} from "./code.js";
export {
  DEFAULT_ADMIN_DELAY,
  DEFAULT_SALT,
  DEPLOYMENT_CONTRACTS,
  expectationsFromParameters,
  verifyDeployment,
  type DeploymentCheck,
  type DeploymentExpectations,
} from "./verify.js";

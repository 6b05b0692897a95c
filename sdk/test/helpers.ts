/** Helpers shared by the SDK suites. */
import { network } from "hardhat";

import { deployTrustStack, type TrustStack } from "@realdid/testkit/trust";
import type { Client } from "../src/actions/index.ts";

/** The error `promise` rejects with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, got a result");
}

/** A trust stack on a fresh in-process chain, with a read-only client and clients for its admin and a stranger. */
export async function trustStackClients(): Promise<{
  stack: TrustStack;
  read: Client;
  admin: Client;
  stranger: Client;
}> {
  const { ethers } = await network.create();
  const stack = await deployTrustStack(ethers);
  const read: Client = {
    chainId: (await ethers.provider.getNetwork()).chainId,
    provider: ethers.provider,
    didRegistry: await stack.didRegistry.getAddress(),
    realNameRegistry: await stack.realNameRegistry.getAddress(),
    issuerRegistry: await stack.issuerRegistry.getAddress(),
    statusRegistry: await stack.statusRegistry.getAddress(),
  };
  return { stack, read, admin: { ...read, signer: stack.admin }, stranger: { ...read, signer: stack.stranger } };
}

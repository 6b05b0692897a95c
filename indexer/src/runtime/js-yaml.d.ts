// The part of js-yaml 4 the deployment id uses (the package ships no types).
declare module "js-yaml" {
  export function dump(value: unknown, options?: { noRefs?: boolean; sortKeys?: boolean }): string;
}

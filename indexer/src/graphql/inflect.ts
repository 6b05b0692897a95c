/**
 * Query field names exactly as graph-node derives them from entity type names: it uses the Rust `Inflector`
 * crate (`to_camel_case`, `to_plural`) and appends `_collection` when singular and plural coincide. The crate's
 * list of uncountable lowercase words is left out: entity type names are capitalised, so they never match it.
 */

const isAlphanumeric = (c: string): boolean => /^[\p{L}\p{N}]$/u.test(c);
const isNumeric = (c: string): boolean => /^\p{N}$/u.test(c);
const isLower = (c: string): boolean => c !== c.toUpperCase() && c === c.toLowerCase();
const isUpper = (c: string): boolean => c !== c.toLowerCase() && c === c.toUpperCase();

/** `Inflector::to_camel_case`: `DelegateChanged` → `delegateChanged`, `DIDOwnerChanged` → `didownerChanged`. */
export function toCamelCase(input: string): string {
  let newWord = false;
  let lastChar = " ";
  let foundRealChar = false;
  let result = "";
  for (const c of input.replace(/[^\p{L}\p{N}]+$/u, "")) {
    if (!isAlphanumeric(c)) {
      if (foundRealChar) newWord = true;
    } else if (isNumeric(c)) {
      foundRealChar = true;
      newWord = true;
      result += c;
    } else if (newWord || (isLower(lastChar) && isUpper(c))) {
      foundRealChar = true;
      newWord = false;
      result += c.toUpperCase();
    } else {
      foundRealChar = true;
      lastChar = c;
      result += c.toLowerCase();
    }
  }
  return result;
}

const SPECIAL_PLURALS: Record<string, string> = {
  ox: "oxen",
  man: "men",
  woman: "women",
  die: "dice",
  yes: "yeses",
  foot: "feet",
  eave: "eaves",
  goose: "geese",
  tooth: "teeth",
  quiz: "quizzes",
};

/** `Inflector::to_plural` rules; later rules win, as in the crate. */
const PLURAL_RULES: [RegExp, string][] = [
  [/(\w*)s$/, "s"],
  [/(\w*([^aeiou]ese))$/, ""],
  [/(\w*(ax|test))is$/, "es"],
  [/(\w*(alias|[^aou]us|tlas|gas|ris))$/, "es"],
  [/(\w*(e[mn]u))s?$/, "s"],
  [/(\w*([^l]ias|[aeiou]las|[emjzr]as|[iu]am))$/, ""],
  [/(\w*(alumn|syllab|octop|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat))(?:us|i)$/, "i"],
  [/(\w*(alumn|alg|vertebr))(?:a|ae)$/, "ae"],
  [/(\w*(seraph|cherub))(?:im)?$/, "im"],
  [/(\w*(her|at|gr))o$/, "oes"],
  [
    /(\w*(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor))(?:a|um)$/,
    "a",
  ],
  [/(\w*(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat))(?:a|on)$/, "a"],
  [/(\w*)sis$/, "ses"],
  [/(\w*(kni|wi|li))fe$/, "ves"],
  [/(\w*(ar|l|ea|eo|oa|hoo))f$/, "ves"],
  [/(\w*([^aeiouy]|qu))y$/, "ies"],
  [/(\w*([^ch][ieo][ln]))ey$/, "ies"],
  [/(\w*(x|ch|ss|sh|zz)es)$/, ""],
  [/(\w*(x|ch|ss|sh|zz))$/, "es"],
  [/(\w*(matr|cod|mur|sil|vert|ind|append))(?:ix|ex)$/, "ices"],
  [/(\w*(m|l)(?:ice|ouse))$/, "ice"],
  [/(\w*(pe)(?:rson|ople))$/, "ople"],
  [/(\w*(child))(?:ren)?$/, "ren"],
  [/(\w*eaux)$/, ""],
];

/** `Inflector::to_plural`: `Identity` → `Identities`, `Status` → `Statuses`, `Delegate` → `Delegates`. */
export function toPlural(word: string): string {
  const special = SPECIAL_PLURALS[word];
  if (special !== undefined) return special;
  for (let i = PLURAL_RULES.length - 1; i >= 0; i--) {
    const [rule, replacement] = PLURAL_RULES[i]!;
    const match = rule.exec(word);
    if (match?.[1] !== undefined) return match[1] + replacement;
  }
  return `${word}s`;
}

/** The singular (`identity`) and collection (`identities`) query field names for an entity type. */
export function queryFieldNames(typeName: string): { singular: string; plural: string } {
  const singular = toCamelCase(typeName);
  const plural = toCamelCase(toPlural(typeName));
  return { singular, plural: plural === singular ? `${plural}_collection` : plural };
}

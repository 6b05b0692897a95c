/** Per-site DIDs: fixed derivation vectors, same site → same DID, different sites → different DIDs. */
import { expect } from "chai";
import { HDNodeWallet } from "ethers";

import { InvalidMnemonicError, InvalidOriginError } from "../src/errors/base.ts";
import { generateMnemonic, siteIdentity, siteOrigin, sitePath } from "../src/keys/index.ts";

/** The BIP-39 test phrase (entropy 0). */
const PHRASE = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const NETWORK = "0x7a69";

describe("SDK per-site DIDs", () => {
  it("derives the fixed vectors", () => {
    const vectors = [
      [
        "https://shop.example",
        "m/13'/1015601235'/1632339492'/51262494'/497610797'",
        "0xBEbE74a0BAb573A3A4FC2c7c2B0A3413f039c2c8",
      ],
      [
        "https://news.example",
        "m/13'/304749029'/178829259'/2063437657'/1171460823'",
        "0x0132F986E8994c869380Dfad3d7E40aC5870c56F",
      ],
      [
        "http://localhost:5173",
        "m/13'/1838909714'/1646349112'/804056321'/1547522714'",
        "0x60f61acBc65F1736093a522bCe6f4F1b64dB2f39",
      ],
    ];
    for (const [site, path, address] of vectors) {
      const identity = siteIdentity(PHRASE, site, { network: NETWORK });
      expect(identity.path, site).to.equal(path);
      expect(identity.address, site).to.equal(address);
      expect(identity.did).to.equal(`did:ethr:${NETWORK}:${address}`);
      // An independent BIP-32 implementation agrees.
      expect(HDNodeWallet.fromPhrase(PHRASE, undefined, path).address).to.equal(address);
    }
    expect(siteIdentity(PHRASE, "https://shop.example", { network: NETWORK, index: 1 }).address).to.equal(
      "0xF57eCCD0C37Cda3037205dDEa2a9162c521b8512",
    );
    expect(siteIdentity(PHRASE, "https://shop.example", { network: NETWORK, passphrase: "x" }).address).to.equal(
      "0x89f434D80B676b809dB588797Be49f1775601cdD",
    );
  });

  it("gives the same DID for the same site however it is written, and different DIDs to different sites", () => {
    const words = generateMnemonic();
    const did = (site: string) => siteIdentity(words, site, { network: NETWORK }).did;
    expect(did("https://shop.example")).to.equal(did("HTTPS://Shop.Example:443/login?next=/cart#top"));
    expect(did("https://例.example")).to.equal(did("https://xn--fsq.example/"));
    const distinct = [
      "https://shop.example",
      "http://shop.example",
      "https://shop.example:8443",
      "https://www.shop.example",
      "https://news.example",
    ];
    expect(new Set(distinct.map(did)).size).to.equal(distinct.length);
    expect(did("https://shop.example")).to.not.equal(
      siteIdentity(generateMnemonic(), "https://shop.example", { network: NETWORK }).did,
    );
    expect(generateMnemonic(256).split(" ")).to.have.length(24);
  });

  it("normalises origins and refuses what has none, and invalid phrases", () => {
    expect(siteOrigin("https://Shop.Example:443/a")).to.equal("https://shop.example");
    expect(siteOrigin("http://shop.example:80")).to.equal("http://shop.example");
    expect(sitePath("https://shop.example/x")).to.equal(sitePath("https://shop.example"));
    for (const site of ["shop.example", "file:///etc/passwd", "data:text/plain,x", "javascript:alert(1)"]) {
      expect(() => siteOrigin(site), site).to.throw(InvalidOriginError);
    }
    expect(() => siteIdentity("abandon abandon", "https://shop.example", { network: NETWORK })).to.throw(
      InvalidMnemonicError,
    );
  });
});

// @types/node 20 types the global `crypto` as node:crypto's `webcrypto.Crypto` but, unlike the DOM
// lib, declares no global `CryptoKey` or `CryptoKeyPair`; src/artifacts/manifest-signature.ts
// names them, and the CLI has no DOM lib.
type CryptoKey = import('node:crypto').webcrypto.CryptoKey;
type CryptoKeyPair = import('node:crypto').webcrypto.CryptoKeyPair;

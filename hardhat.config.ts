import { createRequire } from "node:module";
import { defineConfig } from "hardhat/config";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";

// No compiler download is possible here: use the solcjs build shipped in the npm `solc` package.
const soljson = createRequire(import.meta.url).resolve("solc/soljson.js");

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    version: "0.8.28",
    path: soljson,
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
  },
  paths: {
    sources: "contracts",
    tests: { solidity: "contracts/test" },
  },
  test: { solidity: { fuzz: { runs: 256 }, invariant: { runs: 64, depth: 32 } } },
  networks: {
    localhost: { type: "http", chainType: "l1", url: process.env.CHAIN_RPC_URL ?? "http://127.0.0.1:8545" },
    // `hardhat node`: DEBTRAIL_CHAIN_START (an ISO date-time) starts the dev chain's history in the past, so
    // the demo seed can walk its notice periods and still end at or before the wall clock (scripts/start.ts).
    node: { type: "edr-simulated", ...(process.env.DEBTRAIL_CHAIN_START ? { initialDate: process.env.DEBTRAIL_CHAIN_START } : {}) },
  },
});

// SPDX-License-Identifier: MIT
// EthSignatures: the two ECDSA helpers our validators share — the EIP-191 personal_sign digest of a
// 32-byte hash, and recovery of a 65-byte r || s || v signature that refuses high s and bad v
// (returns address(0) for anything malformed).
pragma solidity ^0.8.20;

library EthSignatures {
    uint256 private constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    function toEthSignedMessageHash(bytes32 hash) internal pure returns (bytes32 digest) {
        assembly {
            mstore(0x00, "\x19Ethereum Signed Message:\n32")
            mstore(0x1c, hash)
            digest := keccak256(0x00, 0x3c)
        }
    }

    function recover(bytes32 digest, bytes calldata sig) internal view returns (address) {
        if (sig.length != 65) return address(0);
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (v < 27) v += 27;
        if (v != 27 && v != 28) return address(0);
        if (uint256(s) > HALF_N) return address(0);
        // The ecrecover precompile; `view` because calling a precompile is a staticcall.
        return ecrecover(digest, v, r, s);
    }
}

// SPDX-License-Identifier: MIT
// DanSessionValidator: a Smart Sessions session validator (ISessionValidator, ERC-7579 module type 7)
// for a key that lives in a threshold network. The session's sessionValidatorInitData is the key's
// 20-byte address (abi.encodePacked(address), the OwnableValidator-style convention); a signature
// is valid when it is a 65-byte ECDSA signature (r || s || v, low s, v in {27, 28} or {0, 1}) by
// that address over the EIP-191 personal_sign digest of the hash Smart Sessions passes in (the
// ERC-4337 userOpHash): keccak256("\x19Ethereum Signed Message:\n32" || hash).
// Stateless: nothing is stored, so it satisfies the ERC-4337 validation storage rules.
pragma solidity ^0.8.20;

import {EthSignatures} from "./EthSignatures.sol";

contract DanSessionValidator {
    /// secp256k1 n / 2: signatures with a larger s are malleable copies and are refused.
    uint256 private constant MODULE_TYPE_STATELESS_VALIDATOR = 7;

    /// Smart Sessions calls this for every userOp of a session (USE mode).
    /// @param hash the userOpHash
    /// @param sig 65-byte ECDSA signature over the EIP-191 digest of `hash`
    /// @param data the signer address, exactly 20 bytes
    function validateSignatureWithData(bytes32 hash, bytes calldata sig, bytes calldata data)
        external
        view
        returns (bool)
    {
        if (data.length != 20) return false;
        address signer = address(bytes20(data[0:20]));
        if (signer == address(0)) return false;
        return EthSignatures.recover(EthSignatures.toEthSignedMessageHash(hash), sig) == signer;
    }

    // ERC-165: the session validator interface id Smart Sessions asks for is
    // type(ISessionValidator).interfaceId = validateSignatureWithData.selector (0x940d3840).
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == 0x01ffc9a7 || interfaceId == this.validateSignatureWithData.selector;
    }

    // ERC-7579 module functions (stateless: nothing to install or remove).
    function isModuleType(uint256 typeId) external pure returns (bool) {
        return typeId == MODULE_TYPE_STATELESS_VALIDATOR;
    }

    function onInstall(bytes calldata) external {}

    function onUninstall(bytes calldata) external {}

    function isInitialized(address) external pure returns (bool) {
        return true;
    }
}

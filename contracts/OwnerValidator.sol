// SPDX-License-Identifier: MIT
// OwnerValidator: a minimal ERC-7579 validator module (module type 1) that gives a smart account
// (e.g. Nexus) a single ECDSA owner. onInstall(abi.encodePacked(owner)) stores the owner for the
// calling account. UserOps must carry a 65-byte signature (r || s || v, low s) by the owner over
// the EIP-191 personal_sign digest of the userOpHash; ERC-1271 requests accept a signature over
// the hash itself or over its EIP-191 digest. Storage is keyed by account (ERC-4337 rules).
pragma solidity ^0.8.20;

import {EthSignatures} from "./EthSignatures.sol";

struct PackedUserOperation {
    address sender;
    uint256 nonce;
    bytes initCode;
    bytes callData;
    bytes32 accountGasLimits;
    uint256 preVerificationGas;
    bytes32 gasFees;
    bytes paymasterAndData;
    bytes signature;
}

contract OwnerValidator {
    uint256 private constant MODULE_TYPE_VALIDATOR = 1;
    uint256 private constant VALIDATION_SUCCESS = 0;
    uint256 private constant VALIDATION_FAILED = 1;
    bytes4 private constant ERC1271_MAGIC = 0x1626ba7e;
    bytes4 private constant ERC1271_INVALID = 0xffffffff;

    mapping(address account => address owner) public ownerOf;

    event OwnerSet(address indexed account, address indexed owner);

    error AlreadyInitialized(address account);
    error InvalidOwner();

    /// @param data the owner address, exactly 20 bytes (abi.encodePacked(owner))
    function onInstall(bytes calldata data) external {
        if (ownerOf[msg.sender] != address(0)) revert AlreadyInitialized(msg.sender);
        if (data.length != 20) revert InvalidOwner();
        address owner = address(bytes20(data[0:20]));
        if (owner == address(0)) revert InvalidOwner();
        ownerOf[msg.sender] = owner;
        emit OwnerSet(msg.sender, owner);
    }

    function onUninstall(bytes calldata) external {
        delete ownerOf[msg.sender];
        emit OwnerSet(msg.sender, address(0));
    }

    function isInitialized(address account) external view returns (bool) {
        return ownerOf[account] != address(0);
    }

    function isModuleType(uint256 typeId) external pure returns (bool) {
        return typeId == MODULE_TYPE_VALIDATOR;
    }

    /// ERC-4337 v0.7 through ERC-7579: 0 = valid, 1 = signature failure.
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash)
        external
        view
        returns (uint256)
    {
        address owner = ownerOf[msg.sender];
        if (owner == address(0)) return VALIDATION_FAILED;
        return EthSignatures.recover(EthSignatures.toEthSignedMessageHash(userOpHash), userOp.signature) == owner
            ? VALIDATION_SUCCESS
            : VALIDATION_FAILED;
    }

    /// ERC-1271 through ERC-7579 (the account forwards isValidSignature here).
    function isValidSignatureWithSender(address, bytes32 hash, bytes calldata signature)
        external
        view
        returns (bytes4)
    {
        address owner = ownerOf[msg.sender];
        if (owner == address(0)) return ERC1271_INVALID;
        if (EthSignatures.recover(hash, signature) == owner) return ERC1271_MAGIC;
        if (EthSignatures.recover(EthSignatures.toEthSignedMessageHash(hash), signature) == owner) return ERC1271_MAGIC;
        return ERC1271_INVALID;
    }
}

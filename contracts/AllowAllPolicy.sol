// SPDX-License-Identifier: MIT
// AllowAllPolicy: a Smart Sessions policy that allows everything, for devnets and tests. It speaks
// the pre-v1 policy interfaces of the Smart Sessions build shipped in @rhinestone/modulekit 0.5.9
// (pinned from that bytecode: it calls supportsInterface with the ids below, then
// initializeWithMultiplexer on enable, checkUserOpPolicy / checkAction / check1271SignedAction on use).
// Every check returns 0 (ERC-4337 "valid, no time range") or true. Never use it on a real chain.
pragma solidity ^0.8.20;

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

contract AllowAllPolicy {
    uint256 private constant MODULE_TYPE_POLICY = 5;

    /// IPolicy: called by Smart Sessions when a session using this policy is enabled.
    function initializeWithMultiplexer(address, bytes32, bytes calldata) external {}

    /// IUserOpPolicy (interface id 0x7129edce).
    function checkUserOpPolicy(bytes32, PackedUserOperation calldata) external pure returns (uint256) {
        return 0;
    }

    /// IActionPolicy (interface id 0x05c00895).
    function checkAction(bytes32, address, address, uint256, bytes calldata) external pure returns (uint256) {
        return 0;
    }

    /// I1271Policy (interface id 0xcbf34505).
    function check1271SignedAction(bytes32, address, address, bytes32, bytes calldata)
        external
        pure
        returns (bool)
    {
        return true;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == 0x01ffc9a7 // ERC-165
            || interfaceId == this.checkUserOpPolicy.selector
            || interfaceId == this.checkAction.selector
            || interfaceId == this.check1271SignedAction.selector
            || interfaceId == this.initializeWithMultiplexer.selector; // IPolicy
    }

    function isModuleType(uint256 typeId) external pure returns (bool) {
        return typeId == MODULE_TYPE_POLICY;
    }

    function onInstall(bytes calldata) external {}

    function onUninstall(bytes calldata) external {}

    function isInitialized(address) external pure returns (bool) {
        return true;
    }
}

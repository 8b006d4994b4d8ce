// SPDX-License-Identifier: MIT
// Counter: the devnet's demo target. Each caller (e.g. a smart account) has its own count; `total`
// sums them. Every change emits Counted.
pragma solidity ^0.8.20;

contract Counter {
    mapping(address account => uint256) public count;
    uint256 public total;

    event Counted(address indexed account, uint256 added, uint256 count);

    function increment() external {
        _add(1);
    }

    function add(uint256 amount) external {
        _add(amount);
    }

    function _add(uint256 amount) private {
        uint256 c = count[msg.sender] + amount;
        count[msg.sender] = c;
        total += amount;
        emit Counted(msg.sender, amount, c);
    }
}

/**
 * The JSON documents stations exchange with the operator, as docs/station-contract.md defines them:
 * what the operator writes for prepare, what stations leave in termination messages, and the
 * feedback for the next attempt. Both sides use these types, so the contract cannot drift.
 */
package dev.darkfactory.operator.contract;

/**
 * A Moto fixture that finds or starts a server by itself, and a fill-in proxy that answers the AWS operations
 * Moto lacks or gets wrong, with faults on demand and request counts, for testing AWS tools with the
 * unmodified AWS SDK.
 */
package dev.stepwise.aws.testkit;

/** A Moto fixture that starts itself and a fill-in proxy for the operations Moto lacks, for testing AWS tools. */
package dev.stepwise.aws.testkit;

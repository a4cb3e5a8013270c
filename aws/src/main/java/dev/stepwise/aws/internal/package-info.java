/** Helpers behind the AWS steps; not public API. */
package dev.stepwise.aws.internal;

/** AWS for Stepwise: the context every AWS step acts in, retry policies for AWS, and typed failures. */
package dev.stepwise.aws;

/** A small command-line front end for the built-in runbooks: the worked example of wrapping Stepwise in an in-house tool. */
package dev.stepwise.examples.cli;

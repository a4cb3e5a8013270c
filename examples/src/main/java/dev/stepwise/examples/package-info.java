/** Runnable demos and recipes that show Stepwise at work. */
package dev.stepwise.examples;

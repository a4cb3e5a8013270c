/** Stepwise core. */
package dev.stepwise.core;

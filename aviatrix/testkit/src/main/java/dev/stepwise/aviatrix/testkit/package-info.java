/** A fake Aviatrix controller on loopback for testing tools that drive a controller. */
package dev.stepwise.aviatrix.testkit;

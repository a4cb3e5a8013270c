/** An Aviatrix controller client, its version model, and a plan that steps a controller through its release train. */
package dev.stepwise.aviatrix;

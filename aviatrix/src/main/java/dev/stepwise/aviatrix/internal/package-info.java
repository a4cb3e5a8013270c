/** Implementation of the Aviatrix client; not public API, may change without notice. */
package dev.stepwise.aviatrix.internal;

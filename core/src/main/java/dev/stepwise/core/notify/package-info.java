/** Notifications: tell the people a change affects before, during and after it, through pluggable notifiers. */
package dev.stepwise.core.notify;

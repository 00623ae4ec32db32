/**
 * ARCLST machinery behind the public types of {@code dev.alpharen.arclst}: the registry's stored
 * value, its entry processors, merge policy and disk copy, and the rules for names. Public only
 * where Hazelcast or the root package needs it; not an API for other modules.
 */
package dev.alpharen.arclst.internal;

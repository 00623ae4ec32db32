/**
 * ARMAIL, administrative and notification mail. It sends through Jakarta Mail (Angus) from a
 * durable outbox so that a mail accepted for sending survives a restart and an SMTP server outage.
 * Activities and alert rules use it as one of their sinks; nothing here knows about the integrator.
 */
package dev.alpharen.armail;

// Package testclock is a clock that tests set and move on, for services that take a Now
// function.
package testclock

import "time"

// Clock is a fixed time.
type Clock struct{ T time.Time }

// At returns a clock at t.
func At(t time.Time) *Clock { return &Clock{T: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.T }

// Advance moves the clock on.
func (c *Clock) Advance(d time.Duration) { c.T = c.T.Add(d) }

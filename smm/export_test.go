package smm

// Waiters reports how many callers wait for key's fetch in flight: tests
// of package smm_test wait on it rather than sleep.
func (c *Cache) Waiters(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[key]; e != nil && e.call != nil {
		return e.call.waiters
	}
	return 0
}

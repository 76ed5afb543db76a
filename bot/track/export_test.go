package track

// StateSize is how many keys and failing items the poller remembers.
func (p *Poller) StateSize() (keys, items int) { return p.keys.size() }

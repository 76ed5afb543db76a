package bot

import "sync"

// recent is a bounded map of what recently active chats need remembered
// (their last input, the cards on their screen), in two generations: when
// the young one holds half the bound, the old one is dropped and the young
// one becomes old. A lookup finds entries of both.
type recent[K comparable, V any] struct {
	bound int

	mu         sync.Mutex
	young, old map[K]V
}

func newRecent[K comparable, V any](bound int) *recent[K, V] {
	return &recent[K, V]{bound: bound}
}

func (r *recent[K, V]) put(k K, v V) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.young == nil || len(r.young) >= r.bound/2 {
		r.old, r.young = r.young, make(map[K]V)
	}
	r.young[k] = v
	delete(r.old, k)
}

func (r *recent[K, V]) get(k K) (V, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if v, ok := r.young[k]; ok {
		return v, true
	}
	v, ok := r.old[k]
	return v, ok
}

func (r *recent[K, V]) drop(k K) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.young, k)
	delete(r.old, k)
}

func (r *recent[K, V]) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.young) + len(r.old)
}

package smm

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"time"
)

// ServicesFetcher fetches a panel's catalogue; *Client is one.
type ServicesFetcher interface {
	Services(ctx context.Context, key string) ([]Service, error)
}

// Cache defaults: a real catalogue of 5,000 services is about 2 MB.
const (
	DefaultCacheKeys  = 1000
	DefaultCacheBytes = 256 << 20
)

// Cache keeps each key's catalogue for a TTL. Callers that want a key's
// catalogue while it is being fetched share that fetch; a failed fetch is
// not kept, so the next caller tries again. It is bounded by a number of
// keys and a total approximate size of catalogues: past either, the
// least recently used keys go. It is safe for concurrent use.
type Cache struct {
	// Now is the cache's clock; nil means time.Now. Set it before use.
	Now func() time.Time
	// MaxKeys bounds the keys kept; 0 = DefaultCacheKeys. Set it before use.
	MaxKeys int
	// MaxBytes bounds the catalogues' approximate size; 0 =
	// DefaultCacheBytes. Set it before use. A catalogue bigger than this
	// is answered but not kept.
	MaxBytes int64

	fetcher ServicesFetcher
	ttl     time.Duration

	mu        sync.Mutex
	entries   map[string]*cacheEntry
	lru       list.List // of *cacheEntry, most recently used first
	bytes     int64     // the kept catalogues' sizes
	lastSweep time.Time
}

type cacheEntry struct {
	key     string
	cat     *Catalogue // nil until a fetch succeeds
	size    int64      // cat's approximate size
	expires time.Time
	call    *fetchCall // the fetch in flight, if any
	elem    *list.Element
}

// fetchCall is one fetch and the callers waiting for it. It is cancelled
// when every caller has given up.
type fetchCall struct {
	done    chan struct{}
	cat     *Catalogue // set before done is closed
	err     error
	waiters int
	cancel  context.CancelFunc
}

// NewCache returns a cache of the catalogues f fetches, each kept for ttl
// (0 = 10 minutes).
func NewCache(f ServicesFetcher, ttl time.Duration) *Cache {
	if ttl <= 0 {
		ttl = 10 * time.Minute
	}
	return &Cache{fetcher: f, ttl: ttl, entries: make(map[string]*cacheEntry)}
}

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Catalogue returns key's catalogue: the one kept if it is younger than
// the TTL, else a fresh one (fetched once however many callers ask). The
// error is the fetch's, or ctx's when the caller gives up waiting.
func (c *Cache) Catalogue(ctx context.Context, key string) (*Catalogue, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("catalogue: %w", context.Cause(ctx))
	}
	c.mu.Lock()
	now := c.now()
	e := c.entries[key]
	if e != nil && e.cat != nil && now.Before(e.expires) {
		c.lru.MoveToFront(e.elem)
		c.mu.Unlock()
		return e.cat, nil
	}
	if e == nil {
		c.sweep(now)
		e = &cacheEntry{key: key}
		e.elem = c.lru.PushFront(e)
		c.entries[key] = e
		c.shrink()
	}
	f := e.call
	if f == nil {
		f = c.start(ctx, key, e)
	}
	f.waiters++
	c.mu.Unlock()

	select {
	case <-f.done:
		if f.err != nil {
			return nil, fmt.Errorf("catalogue: %w", f.err)
		}
		return f.cat, nil
	case <-ctx.Done():
		c.leave(e, f)
		return nil, fmt.Errorf("catalogue: %w", context.Cause(ctx))
	}
}

// start begins a fetch for e; c.mu is held. The fetch does not stop when
// the caller that started it gives up: only when all its callers have.
func (c *Cache) start(ctx context.Context, key string, e *cacheEntry) *fetchCall {
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	f := &fetchCall{done: make(chan struct{}), cancel: cancel}
	e.call = f
	go func() {
		defer cancel()
		cat, err := c.fetch(fctx, key)
		c.mu.Lock()
		if c.entries[key] == e && e.call == f {
			e.call = nil
			if err == nil {
				c.keep(e, cat)
			}
		}
		c.mu.Unlock()
		f.cat, f.err = cat, err
		close(f.done)
	}()
	return f
}

// fetch runs the fetcher, turning a panic in it into an error: it runs on
// a goroutine of its own, where nothing else would recover it.
func (c *Cache) fetch(ctx context.Context, key string) (cat *Catalogue, err error) {
	defer func() {
		if p := recover(); p != nil {
			cat, err = nil, fmt.Errorf("fetch panicked: %v", p)
		}
	}()
	services, err := c.fetcher.Services(ctx, key)
	if err != nil {
		return nil, err
	}
	cat = NewCatalogue(services)
	cat.Fetched = c.now()
	return cat, nil
}

// leave drops a caller that gave up waiting for f; the last one cancels
// it, and a later caller starts afresh.
func (c *Cache) leave(e *cacheEntry, f *fetchCall) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f.waiters--
	if f.waiters == 0 {
		f.cancel()
		if e.call == f {
			e.call = nil
		}
	}
}

// sweep drops the entries with neither a fresh catalogue nor a fetch, so
// keys seen once do not stay forever; at most once a TTL, c.mu held.
func (c *Cache) sweep(now time.Time) {
	if now.Sub(c.lastSweep) < c.ttl {
		return
	}
	c.lastSweep = now
	for _, e := range c.entries {
		if e.call == nil && (e.cat == nil || !now.Before(e.expires)) {
			c.drop(e)
		}
	}
}

// keep stores a fetched catalogue in e and makes room; c.mu is held.
func (c *Cache) keep(e *cacheEntry, cat *Catalogue) {
	c.bytes -= e.size
	e.cat, e.size, e.expires = cat, catalogueSize(cat), cat.Fetched.Add(c.ttl)
	c.bytes += e.size
	c.lru.MoveToFront(e.elem)
	c.shrink()
}

// shrink drops the least recently used entries until the cache is within
// its bounds; c.mu is held. An entry dropped while its fetch is in flight
// still answers its callers.
func (c *Cache) shrink() {
	maxKeys, maxBytes := c.MaxKeys, c.MaxBytes
	if maxKeys <= 0 {
		maxKeys = DefaultCacheKeys
	}
	if maxBytes <= 0 {
		maxBytes = DefaultCacheBytes
	}
	for c.lru.Len() > 0 && (len(c.entries) > maxKeys || c.bytes > maxBytes) {
		c.drop(c.lru.Back().Value.(*cacheEntry))
	}
}

// drop forgets an entry; c.mu is held.
func (c *Cache) drop(e *cacheEntry) {
	if c.entries[e.key] != e {
		return
	}
	delete(c.entries, e.key)
	c.lru.Remove(e.elem)
	c.bytes -= e.size
}

// catalogueSize is a catalogue's approximate size in memory, in bytes.
func catalogueSize(cat *Catalogue) int64 {
	const perService = 200 // the Service, its decimal, its index entries
	n := int64(0)
	for _, cg := range cat.Categories {
		n += int64(len(cg.Name)) + 64
		for _, s := range cg.Services {
			n += perService + 2*int64(len(s.Name)) + int64(len(s.Type)+len(s.Category)+len(s.Description)+len(s.Currency))
		}
	}
	return n
}

// Invalidate forgets key's catalogue: the next call fetches it again. A
// fetch in flight still answers its callers but is not kept.
func (c *Cache) Invalidate(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[key]; e != nil {
		c.drop(e)
	}
}

// Len reports how many keys the cache holds, and the approximate size of
// their catalogues in bytes.
func (c *Cache) Len() (keys int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.bytes
}

package smm_test

import (
	"fmt"
	"testing"
	"time"
)

func TestCacheIsBoundedByKeys(t *testing.T) {
	f := &fetcher{}
	c, _ := newCache(f, time.Hour)
	c.MaxKeys = 3
	get := func(key string) {
		t.Helper()
		if _, err := c.Catalogue(t.Context(), key); err != nil {
			t.Fatalf("Catalogue(%s): %v", key, err)
		}
	}
	for i := range 5 {
		get(fmt.Sprintf("k%d", i))
	}
	if keys, _ := c.Len(); keys != 3 {
		t.Errorf("%d keys kept; want 3", keys)
	}
	get("k2") // the least recently used is now k3
	get("k5")
	before := f.count()
	get("k2")
	get("k4")
	get("k5")
	if n := f.count() - before; n != 0 {
		t.Errorf("%d fetches for k2, k4, k5; want none: they are kept", n)
	}
	get("k3")
	if n := f.count() - before; n != 1 {
		t.Errorf("k3: %d fetches; want 1: it was the least recently used", n)
	}
}

func TestCacheIsBoundedByBytes(t *testing.T) {
	f := &fetcher{}
	c, _ := newCache(f, time.Hour)
	c.MaxKeys = 100
	for i := range 50 {
		if _, err := c.Catalogue(t.Context(), fmt.Sprintf("key-%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	keys, size := c.Len()
	if keys != 50 || size <= 0 {
		t.Fatalf("%d keys, %d bytes; want 50 and their size", keys, size)
	}
	per := size / 50
	c.MaxBytes = 10 * per
	if _, err := c.Catalogue(t.Context(), "one-more"); err != nil {
		t.Fatal(err)
	}
	keys, size = c.Len()
	if keys > 10 || size > 10*per {
		t.Errorf("%d keys, %d bytes; want the map shrunk to 10 catalogues of %d bytes", keys, size, per)
	}
	c.MaxBytes = 1 // smaller than any catalogue: answered, not kept
	if cat, err := c.Catalogue(t.Context(), "huge"); err != nil || cat.Len() != 1 {
		t.Errorf("Catalogue = %v, %v; want it answered", cat, err)
	}
	if keys, size := c.Len(); keys != 0 || size != 0 {
		t.Errorf("%d keys, %d bytes; want nothing kept", keys, size)
	}
}

func TestCacheInvalidateFreesItsBytes(t *testing.T) {
	c, _ := newCache(&fetcher{}, time.Hour)
	if _, err := c.Catalogue(t.Context(), "k"); err != nil {
		t.Fatal(err)
	}
	c.Invalidate("k")
	if keys, size := c.Len(); keys != 0 || size != 0 {
		t.Errorf("%d keys, %d bytes after Invalidate; want none", keys, size)
	}
}

//go:build !(linux && (amd64 || arm64))

package store

import bolt "go.etcd.io/bbolt"

// dropPageCache is a no-op where the store does not call fadvise; see
// pagecache_linux.go.
func dropPageCache(string) {}

// trimMapping is a no-op here; see pagecache_linux.go.
func trimMapping(*bolt.DB) {}

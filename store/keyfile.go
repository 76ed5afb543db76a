package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// loadKeyFile reads the encryption key kept beside the database, creating
// it on first use. A database that already holds sealed data never gets a
// fresh key: a missing file there is an error, not a silent re-key.
func loadKeyFile(path string, dbHasKey bool) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if dbHasKey {
			return nil, fmt.Errorf("%w: key file %s is missing but the database was encrypted with a key; restore the file or pass the key", ErrWrongKey, path)
		}
		return createKeyFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	text := strings.TrimSpace(string(raw))
	if len(text) != 2*keySize {
		return nil, fmt.Errorf("key file %s: want %d hex characters, found %d", path, 2*keySize, len(text))
	}
	key, err := hex.DecodeString(text)
	if err != nil {
		return nil, fmt.Errorf("key file %s: not hex: %w", path, err)
	}
	return key, nil
}

// createKeyFile writes a random key to a 0600 temporary file and renames it
// into place, so a crash never leaves a half-written key file. The database
// lock is held, so no other store races for the same name.
func createKeyFile(path string) ([]byte, error) {
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, base+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	_, err = tmp.WriteString(hex.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return key, nil
}

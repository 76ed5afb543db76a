package store

import (
	"cmp"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

const (
	keySize   = 32 // AES-256
	refLen    = 16 // hex characters of a key reference
	maxAPIKey = 4096
)

// sealer encrypts API keys and names them. Both of its keys are derived
// from the one encryption key, so a reference reveals nothing usable for
// decryption and nothing of the API key.
type sealer struct {
	aead   cipher.AEAD
	refKey []byte
}

func derive(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

func newSealer(key []byte) (*sealer, error) {
	if len(key) != keySize {
		return nil, fmt.Errorf("%w: encryption key must be %d bytes, got %d", ErrInvalid, keySize, len(key))
	}
	block, err := aes.NewCipher(derive(key, "smmbot/store/seal"))
	if err != nil {
		return nil, fmt.Errorf("new cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("new gcm: %w", err)
	}
	return &sealer{aead: aead, refKey: derive(key, "smmbot/store/ref")}, nil
}

// seal returns nonce | ciphertext, with a fresh random nonce on every call.
func (s *sealer) seal(plain, aad []byte) ([]byte, error) {
	out := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return s.aead.Seal(out, out, plain, aad), nil
}

func (s *sealer) open(sealed, aad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, fmt.Errorf("open sealed value: too short")
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, fmt.Errorf("open sealed value: %w", err)
	}
	return plain, nil
}

func (s *sealer) ref(apiKey string) string {
	m := hmac.New(sha256.New, s.refKey)
	m.Write([]byte(apiKey))
	return hex.EncodeToString(m.Sum(nil))[:refLen]
}

func checkAPIKey(apiKey string) error {
	if apiKey == "" || len(apiKey) > maxAPIKey {
		return fmt.Errorf("%w: api key must be 1..%d bytes, got %d", ErrInvalid, maxAPIKey, len(apiKey))
	}
	return nil
}

// PutKey stores apiKey encrypted and returns its reference: 16 hex
// characters, the same for the same key under the same encryption key,
// revealing nothing of the key. Storing a key twice is harmless.
func (db *DB) PutKey(ctx context.Context, apiKey string) (string, error) {
	if err := checkAPIKey(apiKey); err != nil {
		return "", fmt.Errorf("put key: %w", err)
	}
	var ref string
	err := db.update(ctx, func(tx *bolt.Tx) error {
		existed := tx.Bucket(bucketKeys).Get([]byte(db.seal.ref(apiKey))) != nil
		var err error
		if ref, err = db.putKeyTx(tx, apiKey); err == nil && existed {
			return errUnchanged
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("put key: %w", err)
	}
	return ref, nil
}

func (db *DB) putKeyTx(tx *bolt.Tx, apiKey string) (string, error) {
	ref := db.seal.ref(apiKey)
	keys := tx.Bucket(bucketKeys)
	if old := keys.Get([]byte(ref)); old != nil {
		plain, err := db.seal.open(old, []byte(ref))
		if err != nil {
			return "", fmt.Errorf("key %s: %w", ref, err)
		}
		if hmac.Equal(plain, []byte(apiKey)) {
			return ref, nil
		}
		return "", fmt.Errorf("key %s: reference collision with a different key", ref)
	}
	sealed, err := db.seal.seal([]byte(apiKey), []byte(ref))
	if err != nil {
		return "", err
	}
	return ref, keys.Put([]byte(ref), sealed)
}

// Key decrypts the API key stored under ref. It returns ErrNotFound for an
// unknown reference.
func (db *DB) Key(ctx context.Context, ref string) (string, error) {
	var plain []byte
	err := db.view(ctx, func(tx *bolt.Tx) error {
		sealed := tx.Bucket(bucketKeys).Get([]byte(ref))
		if sealed == nil {
			return ErrNotFound
		}
		var err error
		plain, err = db.seal.open(sealed, []byte(ref))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("get key %s: %w", ref, err)
	}
	return string(plain), nil
}

// SetChatKey stores apiKey (as PutKey) and makes it the chat's key, in one
// transaction, creating the chat if it is new. The key the chat had before
// is deleted unless another chat, an order or a refill still references it:
// the poller needs it to follow those orders.
func (db *DB) SetChatKey(ctx context.Context, chatID int64, apiKey string) (string, error) {
	if err := checkAPIKey(apiKey); err != nil {
		return "", fmt.Errorf("set chat %d key: %w", chatID, err)
	}
	var ref string
	err := db.update(ctx, func(tx *bolt.Tx) error {
		existed := tx.Bucket(bucketKeys).Get([]byte(db.seal.ref(apiKey))) != nil
		var err error
		if ref, err = db.putKeyTx(tx, apiKey); err != nil {
			return err
		}
		if c, found, err := getChat(tx, chatID); err != nil || (existed && found && c.KeyRef == ref) {
			return cmp.Or(err, errUnchanged)
		}
		old, found, err := db.changeChat(tx, chatID, func(c *Chat) { c.KeyRef = ref })
		if err != nil {
			return err
		}
		if found && old.KeyRef != "" && old.KeyRef != ref {
			return dropKeyIfUnused(tx, old.KeyRef)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("set chat %d key: %w", chatID, err)
	}
	return ref, nil
}

// dropKeyIfUnused deletes the sealed key ref once no chat, order or refill
// refers to it (tracked orders live in the tracking bucket). Each check is one seek on a prefix.
func dropKeyIfUnused(tx *bolt.Tx, ref string) error {
	prefix := lp(ref)
	for _, name := range [][]byte{bucketChatsByKey, bucketOrderRecs, bucketTracking, bucketRefills} {
		if hasPrefix(tx.Bucket(name), prefix) {
			return nil
		}
	}
	return tx.Bucket(bucketKeys).Delete([]byte(ref))
}
